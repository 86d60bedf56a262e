import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { changedFunctions } from "../../src/deploy/changed_functions";
import { renderText } from "../../src/deploy/drift_render";
import { summarise } from "../../src/deploy/drift_report";
import { loadManifest } from "../../src/deploy/manifest";
import { runCommand } from "../../src/deploy/run_command";
import { createTempRepo, REPO_ROOT } from "./temp_repo";

const manifest = loadManifest(REPO_ROOT);
const names = manifest.functions.map((f) => f.name);
const T0 = new Date("2026-03-01T12:00:00Z");
const TSX = join(REPO_ROOT, "node_modules", ".bin", "tsx");
const DRIFT_ISSUE = join(REPO_ROOT, "packages/shared/src/deploy/cli/drift_issue.ts");

describe("changedFunctions", () => {
  it("selects only the function whose folder changed", async () => {
    const { repo, first } = createTempRepo(T0);
    const [target] = names as [string];
    const head = repo.commit(`functions/${target}/src/index.ts`, "fix", T0);

    expect(await changedFunctions(manifest, first, head, repo.dir, runCommand)).toEqual([target]);
  });

  it("selects every function when the lockfile or the manifest changed", async () => {
    const { repo, first } = createTempRepo(T0);
    const head = repo.commit("pnpm-lock.yaml", "bump", T0);

    expect(await changedFunctions(manifest, first, head, repo.dir, runCommand)).toEqual(names);
  });

  it("selects every function for a first push, whose base is all zeros", async () => {
    const { repo } = createTempRepo(T0);
    const zeros = "0".repeat(40);

    expect(await changedFunctions(manifest, zeros, "HEAD", repo.dir, runCommand)).toEqual(names);
  });

  it("selects nothing when only documentation changed", async () => {
    const { repo, first } = createTempRepo(T0);
    const head = repo.commit("docs/readme/deploying.md", "docs", T0);

    expect(await changedFunctions(manifest, first, head, repo.dir, runCommand)).toEqual([]);
  });
});

describe("drift report rendering", () => {
  const report = summarise("cloud-functions", T0, 24, [
    {
      name: "x",
      region: "us-west2",
      status: "drift",
      basis: "label",
      deployedCommit: "a".repeat(40),
      deployedAt: null,
      latestInputCommit: "b".repeat(40),
      latestInputCommitAt: null,
      hoursBehind: 741,
      commitsBehind: [{ sha: "b".repeat(40), subject: "fix" }],
      reason: "1 commit(s) to its inputs since the deployed aaaaaaaaaaaa",
      redeployCommand: "bin/deploy x",
    },
  ]);

  it("colours the status only when asked to, for a terminal", () => {
    expect(renderText(report, { colour: true, verbose: false })).toContain("\x1b[31mDRIFT");
    expect(renderText(report, { colour: false, verbose: true })).not.toContain("\x1b[");
  });

  it("gives the workflow its action, exit code, summary and issue body", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-issue-"));
    writeFileSync(join(dir, "report.json"), JSON.stringify(report));
    const output = join(dir, "github_output");
    writeFileSync(output, "");

    await new Promise<void>((resolve, reject) =>
      execFile(
        TSX,
        [
          DRIFT_ISSUE,
          join(dir, "report.json"),
          "--summary",
          join(dir, "summary.md"),
          "--body",
          join(dir, "body.md"),
        ],
        { env: { ...process.env, GITHUB_OUTPUT: output } },
        (error) => (error ? reject(error) : resolve()),
      ),
    );

    expect(readFileSync(output, "utf8")).toBe("action=report\nexit_code=1\n");
    const body = readFileSync(join(dir, "body.md"), "utf8");
    expect(body).toContain("| x | us-west2 | **DRIFT** |");
    expect(body).toContain("`bin/deploy x`");
    expect(readFileSync(join(dir, "summary.md"), "utf8")).toBe(body);
  });

  it("fails with exit 2 on a report it cannot read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-issue-"));
    writeFileSync(join(dir, "report.json"), "\x1b[32mUP-TO-DATE\x1b[0m not json");

    const code = await new Promise<number>((resolve) =>
      execFile(TSX, [DRIFT_ISSUE, join(dir, "report.json")], (error) =>
        resolve(error ? Number((error as { code?: number }).code) : 0),
      ),
    );

    expect(code).toBe(2);
  });
});
