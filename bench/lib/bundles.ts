import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildBundle } from "../../packages/shared/src/deploy/bundle";
import { loadManifest } from "../../packages/shared/src/deploy/manifest";
import { benchTempDir, progress } from "./bench_env";

const REPO_ROOT = resolve(import.meta.dirname, "..", "..");
const NPM_INSTALL_TIMEOUT_MS = 300_000;
/** Entry point of the bare reference function. */
export const BARE_ENTRY_POINT = "bareHello";

/** A folder that functions-framework can start, with its target. */
export interface StartableFunction {
  name: string;
  dir: string;
  entryPoint: string;
}

/**
 * Builds every function of the deploy manifest into a fresh temporary folder with the
 * product's own bundler, exactly as deployed, and gives each its pinned npm dependencies.
 */
export async function buildBundles(): Promise<StartableFunction[]> {
  const out: StartableFunction[] = [];
  for (const spec of loadManifest(REPO_ROOT).functions) {
    const dir = benchTempDir(spec.name);
    const result = await buildBundle(spec, REPO_ROOT, dir);
    linkDependencies(dir, result.packageJson.dependencies);
    out.push({ name: spec.name, dir, entryPoint: spec.entryPoint });
  }
  return out;
}

/**
 * The reference: a hello-world HTTP function on the same functions-framework version as
 * the bundles, started the same way, so only the product's own start-up differs.
 */
export function bareFunction(frameworkVersion: string): StartableFunction {
  const dir = benchTempDir("bare");
  const dependencies = { "@google-cloud/functions-framework": frameworkVersion };
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "bare", private: true, type: "module", main: "index.js", dependencies }),
  );
  writeFileSync(
    join(dir, "index.js"),
    `import { http } from "@google-cloud/functions-framework";\nhttp("${BARE_ENTRY_POINT}", (_req, res) => res.status(200).send("ok"));\n`,
  );
  linkDependencies(dir, dependencies);
  return { name: "bare hello world", dir, entryPoint: BARE_ENTRY_POINT };
}

/** The functions-framework version a bundle pins. */
export function frameworkVersionOf(fn: StartableFunction): string {
  const pkg = JSON.parse(readFileSync(join(fn.dir, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const version = pkg.dependencies["@google-cloud/functions-framework"];
  if (version === undefined) throw new Error(`${fn.name} does not pin functions-framework`);
  return version;
}

/**
 * Installs `dependencies` once per distinct set (npm, from its cache where it can) into a
 * folder under the temp dir, then links it into `dir`. Later runs reuse the install.
 */
function linkDependencies(dir: string, dependencies: Record<string, string>): void {
  const key = createHash("sha256").update(JSON.stringify(dependencies)).digest("hex").slice(0, 12);
  const installDir = join(tmpdir(), `orch-bench-deps-${key}`);
  if (!existsSync(join(installDir, "node_modules", ".package-lock.json"))) {
    progress(`installing bundle dependencies into ${installDir}`);
    mkdirSync(installDir, { recursive: true });
    writeFileSync(
      join(installDir, "package.json"),
      JSON.stringify({ name: "deps", private: true, dependencies }),
    );
    execFileSync(
      "npm",
      ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
      { cwd: installDir, timeout: NPM_INSTALL_TIMEOUT_MS, stdio: ["ignore", "ignore", "inherit"] },
    );
  }
  symlinkSync(join(installDir, "node_modules"), join(dir, "node_modules"), "dir");
}
