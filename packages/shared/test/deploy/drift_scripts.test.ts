import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decideIssueAction, parseDriftReport } from "../../src/deploy/drift_report";
import { loadManifest } from "../../src/deploy/manifest";
import { createFakeGcloud, type FakeGcloud } from "./fake_gcloud";
import { createTempRepo, REPO_ROOT } from "./temp_repo";

const FUNCTION_SCRIPT = join(REPO_ROOT, "bin", "check-cloud-function-drift.sh");
const SERVICE_SCRIPT = join(REPO_ROOT, "bin", "check-deployment-drift.sh");
const NAMES = loadManifest(REPO_ROOT).functions.map((f) => f.name);
const HOUR_MS = 3_600_000;
const T0 = new Date("2026-03-01T12:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR_MS);
const ESC = "\x1b[";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: string, fake: FakeGcloud, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      script,
      args,
      // Only the fake is reachable: PATH starts with it, and NO_COLOR is unset so that the
      // absence of colour proves the pipe check, not the opt-out.
      { env: { ...process.env, PATH: `${fake.binDir}:${process.env.PATH}`, NO_COLOR: "" } },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const labelled = (sha: string, updateTime = T0.toISOString()) => ({
  labels: { "commit-sha": sha, "deployment-tool": "cli-gcloud" },
  updateTime,
});

describe("bin/check-cloud-function-drift.sh", () => {
  it("reports every manifest function up to date when each runs the newest input commit", async () => {
    const { repo, first } = createTempRepo(T0);
    const fake = createFakeGcloud();
    for (const name of NAMES) fake.answer(name, labelled(first));

    const result = await run(FUNCTION_SCRIPT, fake, ["--repo", repo.dir]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("3 up to date, 0 drifted, 0 could not be checked");
    expect(result.stdout).not.toContain(ESC);
    const described = fake.calls().map((argv) => argv[2]);
    expect(described).toEqual(NAMES);
    expect(fake.calls()[0]).toEqual(
      expect.arrayContaining(["--region", "us-west2", "--format=json"]),
    );
  });

  it("flags the one function whose folder changed after its labelled commit", async () => {
    const { repo, first } = createTempRepo(T0);
    const [stale, ...fresh] = NAMES as [string, ...string[]];
    const change = repo.commit(`functions/${stale}/src/x.ts`, "tighten the gate", at(30));
    const fake = createFakeGcloud();
    fake.answer(stale, labelled(first));
    for (const name of fresh) fake.answer(name, labelled(first));

    const result = await run(FUNCTION_SCRIPT, fake, ["--repo", repo.dir, "--verbose"]);

    expect(result.code).toBe(1);
    const line = result.stdout.split("\n").find((l) => l.includes(` ${stale} `));
    expect(line).toMatch(/^DRIFT /);
    expect(result.stdout).toContain(`behind: ${change.slice(0, 12)} tighten the gate`);
    expect(result.stdout).toContain(`redeploy: bin/deploy ${stale}`);
    expect(result.stdout).toContain("2 up to date, 1 drifted, 0 could not be checked");
  });

  it("treats a change to packages/shared as drift for every function", async () => {
    const { repo, first } = createTempRepo(T0);
    repo.commit("packages/shared/src/gate.ts", "shared change", at(1));
    const fake = createFakeGcloud();
    for (const name of NAMES) fake.answer(name, labelled(first));

    const report = parseDriftReport(
      (await run(FUNCTION_SCRIPT, fake, ["--repo", repo.dir, "--json"])).stdout,
    );

    expect(report.targets.map((t) => t.status)).toEqual(["drift", "drift", "drift"]);
    expect(report.targets[0]?.hoursBehind).toBe(1);
    expect(decideIssueAction(report)).toBe("report");
  });

  it("without a label, calls a deploy 48 h older than the newest input change stale", async () => {
    const { repo } = createTempRepo(T0);
    const fake = createFakeGcloud();
    const [old, recent, last] = NAMES as [string, string, string];
    repo.commit(`functions/${old}/src/x.ts`, "later change", at(48));
    fake.answer(old, { updateTime: at(0).toISOString() });
    fake.answer(recent, { updateTime: at(-2).toISOString(), labels: {} });
    fake.answer(last, { updateTime: at(1).toISOString() });

    const result = await run(FUNCTION_SCRIPT, fake, ["--repo", repo.dir, "--json"]);
    const report = parseDriftReport(result.stdout);

    expect(result.code).toBe(1);
    const byName = new Map(report.targets.map((t) => [t.name, t]));
    expect(byName.get(old)).toMatchObject({
      status: "drift",
      basis: "deploy-time",
      hoursBehind: 48,
    });
    expect(byName.get(recent)).toMatchObject({ status: "up-to-date", basis: "deploy-time" });
    expect(byName.get(last)).toMatchObject({ status: "up-to-date", hoursBehind: 0 });

    const relaxed = await run(FUNCTION_SCRIPT, fake, ["--repo", repo.dir, "--stale-hours", "72"]);
    expect(relaxed.code).toBe(0);
  });

  it("exits 2 and names the function that is not deployed under its manifest name", async () => {
    const { repo, first } = createTempRepo(T0);
    const fake = createFakeGcloud();
    const [missing, ...rest] = NAMES as [string, ...string[]];
    fake.fail(
      missing,
      `ERROR: (gcloud.functions.describe) NOT_FOUND: Resource 'projects/p/locations/us-west2/functions/${missing}' was not found\n`,
    );
    for (const name of rest) fake.answer(name, labelled(first));

    const result = await run(FUNCTION_SCRIPT, fake, ["--repo", repo.dir, "--json"]);
    const report = parseDriftReport(result.stdout);

    expect(result.code).toBe(2);
    expect(report.targets[0]).toMatchObject({ name: missing, status: "not-found" });
    expect(report.counts).toEqual({ upToDate: 2, drift: 0, couldNotCheck: 1 });
    expect(decideIssueAction(report)).toBe("report");
  });

  it("exits 2 without touching the issue when gcloud itself fails", async () => {
    const { repo } = createTempRepo(T0);
    const fake = createFakeGcloud();
    for (const name of NAMES) {
      fake.fail(
        name,
        "ERROR: (gcloud.functions.describe) There was a problem refreshing your current auth tokens\n",
      );
    }

    const result = await run(FUNCTION_SCRIPT, fake, ["--repo", repo.dir, "--json"]);
    const report = parseDriftReport(result.stdout);

    expect(result.code).toBe(2);
    expect(report.targets.every((t) => t.status === "error")).toBe(true);
    expect(report.targets[0]?.reason).toContain("refreshing your current auth tokens");
    expect(decideIssueAction(report)).toBe("none");
  });

  it("asks to close the issue once every function is up to date", async () => {
    const { repo, first } = createTempRepo(T0);
    const fake = createFakeGcloud();
    for (const name of NAMES) fake.answer(name, labelled(first));

    const report = parseDriftReport(
      (await run(FUNCTION_SCRIPT, fake, ["--repo", repo.dir, "--json"])).stdout,
    );

    expect(report.exitCode).toBe(0);
    expect(decideIssueAction(report)).toBe("resolve");
  });
});

describe("bin/check-deployment-drift.sh", () => {
  it("compares the listed Cloud Run services with the processors' repository", async () => {
    const { repo } = createTempRepo(T0);
    const deployed = repo.commit("shared/utils.py", "processors' shared code", at(1));
    repo.commit("data_processors/analytics/summary.py", "analytics fix", at(5));
    const fake = createFakeGcloud();
    const runService = (sha: string) => ({
      metadata: { labels: {} },
      spec: { template: { metadata: { labels: { "commit-sha": sha } } } },
      status: { conditions: [{ type: "Ready", lastTransitionTime: T0.toISOString() }] },
    });
    fake.answer("nba-phase2-raw-processors", runService(deployed));
    fake.answer("nba-phase3-analytics-processors", runService(deployed));
    fake.answer("nba-phase4-precompute-processors", runService(deployed));
    fake.answer("prediction-coordinator", runService(deployed));

    const result = await run(SERVICE_SCRIPT, fake, ["--repo", repo.dir, "--json"]);
    const report = parseDriftReport(result.stdout);

    expect(result.code).toBe(1);
    expect(report.kind).toBe("cloud-run-services");
    expect(report.targets.filter((t) => t.status === "drift").map((t) => t.name)).toEqual([
      "nba-phase3-analytics-processors",
    ]);
    expect(fake.calls()[0]?.slice(0, 4)).toEqual([
      "run",
      "services",
      "describe",
      "nba-phase2-raw-processors",
    ]);
  });
});
