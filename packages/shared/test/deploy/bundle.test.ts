import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundle, type BundleResult } from "../../src/deploy/bundle";
import { loadManifest } from "../../src/deploy/manifest";
import { freePort } from "../../src/testing/emulators";
import { REPO_ROOT } from "./temp_repo";

const NPM_INSTALL_TIMEOUT_MS = 240_000;
const START_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;
const manifest = loadManifest(REPO_ROOT);

/**
 * functions-framework listens on every interface and has no host option; this preload
 * pins any listen without a host to 127.0.0.1 so the test never opens a public port.
 */
const LOOPBACK_PRELOAD = `const net = require("node:net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if ((typeof args[0] === "number" || typeof args[0] === "string") && typeof args[1] !== "string") {
    args.splice(1, 0, "127.0.0.1");
  }
  return listen.apply(this, args);
};
`;

function npmInstall(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      "npm",
      ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
      { cwd: dir, timeout: NPM_INSTALL_TIMEOUT_MS },
      (error, _stdout, stderr) => (error ? reject(new Error(`npm install: ${stderr}`)) : resolve()),
    );
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`function exited early:\n${log()}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    }
  }
  throw new Error(`no answer from ${url}:\n${log()}`);
}

describe("function bundles", () => {
  const built = new Map<string, BundleResult>();

  beforeAll(async () => {
    for (const spec of manifest.functions) {
      const outDir = mkdtempSync(join(tmpdir(), `bundle-${spec.name}-`));
      built.set(spec.name, await buildBundle(spec, REPO_ROOT, outDir));
    }
  });

  it.each(manifest.functions.map((f) => [f.name]))(
    "%s bundles the workspace code in and pins every npm import",
    (name) => {
      const result = built.get(name);
      if (!result) throw new Error(`no bundle for ${name}`);
      const pkg = JSON.parse(readFileSync(join(result.outDir, "package.json"), "utf8"));
      expect(pkg).toMatchObject({ type: "module", main: "index.js", engines: { node: "22.x" } });
      expect(pkg.dependencies["@google-cloud/functions-framework"]).toMatch(/^\d+\.\d+\.\d+/);
      for (const version of Object.values(pkg.dependencies)) {
        expect(version).toMatch(/^\d+\.\d+\.\d+\S*$/);
      }
      const code = readdirSync(result.outDir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith(".js"))
        .map((f) => readFileSync(join(result.outDir, f), "utf8"))
        .join("\n");
      expect(code).not.toMatch(/from\s*["']@orchestrator\//);
      expect(code).not.toMatch(/import\(\s*["']@orchestrator\//);
    },
  );

  describe("installed alone in an empty folder", () => {
    const spec = manifest.functions[0];
    let child: ChildProcess | undefined;
    let output = "";

    afterAll(() => {
      if (child?.pid !== undefined && child.exitCode === null) child.kill("SIGTERM");
    });

    it(
      "starts under functions-framework and answers 200 on /health",
      async () => {
        if (!spec) throw new Error("empty manifest");
        const result = built.get(spec.name);
        if (!result) throw new Error(`no bundle for ${spec.name}`);
        // A copy with nothing but the bundle: no workspace node_modules above it to lean on.
        const dir = mkdtempSync(join(tmpdir(), "bundle-install-"));
        cpSync(result.outDir, dir, { recursive: true });
        writeFileSync(join(dir, "loopback.cjs"), LOOPBACK_PRELOAD);
        await npmInstall(dir);

        const port = await freePort();
        const deadPort = await freePort();
        child = spawn(
          process.execPath,
          [
            "--require",
            "./loopback.cjs",
            "node_modules/@google-cloud/functions-framework/build/src/main.js",
            `--target=${spec.entryPoint}`,
            `--port=${port}`,
          ],
          {
            cwd: dir,
            env: {
              PATH: process.env.PATH,
              GOOGLE_CLOUD_PROJECT: "orchestrator-bundle-test",
              METADATA_SERVER_DETECTION: "none",
              // Any client call that slips through goes to a closed loopback port.
              FIRESTORE_EMULATOR_HOST: `127.0.0.1:${deadPort}`,
              PUBSUB_EMULATOR_HOST: `127.0.0.1:${deadPort}`,
              BACKUP_KIND: "none",
              NODE_ENV: "production",
            },
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        child.stdout?.on("data", (d) => {
          output += d;
        });
        child.stderr?.on("data", (d) => {
          output += d;
        });

        const response = await waitForHealth(
          `http://127.0.0.1:${port}/health`,
          child,
          () => output,
        );

        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ name: spec.name });
      },
      NPM_INSTALL_TIMEOUT_MS + START_TIMEOUT_MS,
    );
  });
});
