import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join, resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import {
  type ExternalImport,
  resolveExternalVersions,
  WORKSPACE_SCOPE,
} from "./bundle_dependencies";
import type { FunctionSpec } from "./manifest";

/** Oldest Node the bundle must run on: the workspace's own floor, below every runtime. */
const BUNDLE_TARGET = "node20";

/** Where a function's deployable folder is written, relative to its source folder. */
export const BUNDLE_DIR = "bundle";

/** What a build produced. */
export interface BundleResult {
  outDir: string;
  /** The generated package.json, as written. */
  packageJson: {
    name: string;
    version: string;
    private: true;
    type: "module";
    main: string;
    engines: { node: string };
    dependencies: Record<string, string>;
  };
  /** Size of index.js in bytes. */
  bytes: number;
}

/**
 * Bundles one function into a self-contained folder: workspace code (the shared package
 * included, from its TypeScript source) inlined into index.js, every npm package left
 * external and pinned in a generated package.json. The deployed code then never depends on
 * workspace links, which once broke every message (failure 11 in the domain brief).
 */
export async function buildBundle(
  spec: FunctionSpec,
  repoRoot: string,
  outDir = join(repoRoot, spec.sourceDir, BUNDLE_DIR),
): Promise<BundleResult> {
  const sourceDir = resolve(repoRoot, spec.sourceDir);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(sourceDir, "src", "index.ts")],
    outdir: outDir,
    entryNames: "index",
    // Code reached only through `await import()` (the DuckDB backup, say) stays in its own
    // chunk, so its npm imports load only when that path runs instead of at cold start.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    absWorkingDir: repoRoot,
    bundle: true,
    platform: "node",
    format: "esm",
    target: BUNDLE_TARGET,
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    logLevel: "silent",
    plugins: [externalNpmPackages()],
  });
  const imports: ExternalImport[] = [];
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    for (const imp of input.imports) {
      if (imp.external) imports.push({ specifier: imp.path, importer: resolve(repoRoot, file) });
    }
  }
  const own = JSON.parse(readFileSync(join(sourceDir, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  const packageJson: BundleResult["packageJson"] = {
    // npm names cannot hold the workspace scope's meaning here; keep it readable instead.
    name: own.name.replace(/^@/, "").replace("/", "-"),
    version: own.version,
    private: true,
    type: "module",
    main: "index.js",
    // The buildpack wants engines compatible with --runtime and warns against ">" ranges.
    engines: { node: `${spec.runtime.replace(/^nodejs/, "")}.x` },
    dependencies: resolveExternalVersions(imports),
  };
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify(packageJson, null, 2)}\n`);
  const bytes = readFileSync(join(outDir, "index.js")).byteLength;
  return { outDir, packageJson, bytes };
}

/** Leaves every bare import external except the workspace's own packages. */
function externalNpmPackages(): Plugin {
  return {
    name: "external-npm-packages",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith(WORKSPACE_SCOPE)) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        return { path: args.path, external: true };
      });
    },
  };
}
