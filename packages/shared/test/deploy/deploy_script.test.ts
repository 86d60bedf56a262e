import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest } from "../../src/deploy/manifest";
import { REPO_ROOT } from "./temp_repo";

const DEPLOY = join(REPO_ROOT, "bin", "deploy");
const SHA = "0123456789abcdef0123456789abcdef01234567";
const spec = loadManifest(REPO_ROOT).functions[0];

/** A fake gcloud that logs each call, answers a URL, and knows no subscription yet. */
function fakeGcloud(): { binDir: string; calls: () => string[] } {
  const root = mkdtempSync(join(tmpdir(), "fake-deploy-gcloud-"));
  const log = join(root, "calls.log");
  writeFileSync(log, "");
  writeFileSync(
    join(root, "gcloud"),
    `#!/usr/bin/env bash
set -euo pipefail
printf '%s\\n' "$*" >> ${JSON.stringify(log)}
case "$1 $2 $3" in
  "functions describe "*) echo "https://fn-abc-uw.a.run.app" ;;
  "pubsub subscriptions describe") echo "NOT_FOUND: Resource not found" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(join(root, "gcloud"), 0o755);
  return {
    binDir: root,
    calls: () => readFileSync(log, "utf8").trim().split("\n").filter(Boolean),
  };
}

function run(args: string[], binDir: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      DEPLOY,
      args,
      { env: { ...process.env, PATH: `${binDir}:${process.env.PATH}` } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

describe("bin/deploy", () => {
  if (!spec) throw new Error("empty manifest");

  it("prints the exact deploy command on --dry-run without calling gcloud", async () => {
    const fake = fakeGcloud();
    const result = await run(
      [spec.name, "--project", "proj-1", "--commit", SHA, "--dry-run"],
      fake.binDir,
    );

    expect(result.code).toBe(0);
    const deployLine = result.stdout
      .split("\n")
      .find((l) => l.startsWith("gcloud functions deploy"));
    expect(deployLine?.split(" ")).toEqual(
      expect.arrayContaining([
        spec.name,
        "--gen2",
        "--runtime=nodejs22",
        `--entry-point=${spec.entryPoint}`,
        "--trigger-http",
        "--no-allow-unauthenticated",
        `--update-labels=commit-sha=${SHA}`,
        `--service-account=${spec.name}@proj-1.iam.gserviceaccount.com`,
        "--set-secrets=SLACK_WEBHOOK_URL=slack-webhook-url:latest",
      ]),
    );
    expect(result.stdout).toContain(`COMPLETION_TOPIC: "${spec.trigger.topic}"`);
    expect(fake.calls()).toEqual([]);
  });

  it("deploys, then creates the push subscription at the new URL and prints it", async () => {
    const fake = fakeGcloud();
    const result = await run(
      [spec.name, "--project", "proj-1", "--commit", SHA, "--allow-dirty"],
      fake.binDir,
    );

    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("https://fn-abc-uw.a.run.app");
    const calls = fake.calls();
    expect(calls.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual([
      `functions deploy ${spec.name}`,
      `functions describe ${spec.name}`,
      "pubsub subscriptions describe",
      "pubsub subscriptions create",
    ]);
    expect(calls[3]).toContain("--push-endpoint=https://fn-abc-uw.a.run.app");
    expect(calls[3]).toContain(`--topic=${spec.trigger.topic}`);
  }, 60_000);

  it("refuses a name that is not in the manifest", async () => {
    const fake = fakeGcloud();
    const result = await run(["phase9-to-phase10", "--project", "p", "--dry-run"], fake.binDir);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown function");
    expect(fake.calls()).toEqual([]);
  });
});
