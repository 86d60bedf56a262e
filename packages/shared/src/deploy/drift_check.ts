import type { DriftSource } from "./drift_sources";
import type { DriftTarget } from "./drift_report";
import type { RunCommand } from "./run_command";

const MS_PER_HOUR = 3_600_000;

/** Everything one drift check needs; the runner and the clock are injected for tests. */
export interface DriftCheckOptions {
  /** Git work tree whose history is the truth about the source. */
  repoDir: string;
  /** Without a commit label, drift is a deploy older than the newest input by more than this. */
  staleAfterHours: number;
  run: RunCommand;
}

/** Compares every source with git and returns one row each, in the given order. */
export async function checkDrift(
  sources: DriftSource[],
  options: DriftCheckOptions,
): Promise<DriftTarget[]> {
  const rows: DriftTarget[] = [];
  // One at a time: three describe calls are quick, and gcloud's own config lock dislikes
  // parallel invocations.
  for (const source of sources) rows.push(await checkOne(source, options));
  return rows;
}

async function checkOne(source: DriftSource, o: DriftCheckOptions): Promise<DriftTarget> {
  const row: DriftTarget = {
    name: source.name,
    region: source.region,
    status: "error",
    basis: null,
    deployedCommit: null,
    deployedAt: null,
    latestInputCommit: null,
    latestInputCommitAt: null,
    hoursBehind: null,
    commitsBehind: [],
    reason: "",
    redeployCommand: source.redeployCommand,
  };
  const git = (args: string[]) => o.run(["git", ...args], { cwd: o.repoDir });

  const latest = await git(["log", "-1", "--format=%H%x09%cI", "--", ...source.inputs]);
  const [sha, at] = latest.stdout.trim().split("\t");
  if (latest.code !== 0 || !sha || !at) {
    return { ...row, reason: `git log found no commit for ${source.inputs.join(" ")}` };
  }
  row.latestInputCommit = sha;
  row.latestInputCommitAt = at;

  const described = await o.run(source.describe);
  if (described.code !== 0) {
    const message = firstLine(described.stderr) || `gcloud exited with ${described.code}`;
    const missing = /NOT_FOUND|not found|does not exist/i.test(described.stderr);
    return { ...row, status: missing ? "not-found" : "error", reason: message };
  }
  let deployed: ReturnType<DriftSource["readDeployed"]>;
  try {
    deployed = source.readDeployed(JSON.parse(described.stdout));
  } catch (error) {
    return { ...row, reason: `unreadable describe output: ${(error as Error).message}` };
  }
  row.deployedCommit = deployed.commit;
  row.deployedAt = deployed.deployedAt;

  if (deployed.commit) return byLabel(row, deployed.commit, sha, at, source, git);
  if (deployed.deployedAt) return byDeployTime(row, deployed.deployedAt, at, source, o, git);
  return { ...row, reason: "neither a commit label nor a deploy time in the describe output" };
}

type Git = (args: string[]) => ReturnType<RunCommand>;

async function byLabel(
  row: DriftTarget,
  label: string,
  latest: string,
  latestAt: string,
  source: DriftSource,
  git: Git,
): Promise<DriftTarget> {
  row.basis = "label";
  // Up to date when the newest input change is already part of the deployed commit: a
  // deploy from a later commit that did not touch the inputs is not drift.
  const ancestor = await git(["merge-base", "--is-ancestor", latest, label]);
  if (ancestor.code === 0) {
    return {
      ...row,
      status: "up-to-date",
      hoursBehind: 0,
      reason: "deployed commit has every input change",
    };
  }
  if (ancestor.code !== 1) {
    return {
      ...row,
      status: "drift",
      reason: `deployed commit ${short(label)} is not in this repository's history`,
    };
  }
  const labelTime = await git(["show", "-s", "--format=%cI", label]);
  const behind = await git([
    "log",
    "--format=%H%x09%s",
    `${label}..${latest}`,
    "--",
    ...source.inputs,
  ]);
  const commits = parseCommits(behind.stdout);
  return {
    ...row,
    status: "drift",
    hoursBehind: hoursBetween(labelTime.stdout.trim(), latestAt),
    commitsBehind: commits,
    reason: `${commits.length} commit(s) to its inputs since the deployed ${short(label)}`,
  };
}

async function byDeployTime(
  row: DriftTarget,
  deployedAt: string,
  latestAt: string,
  source: DriftSource,
  o: DriftCheckOptions,
  git: Git,
): Promise<DriftTarget> {
  row.basis = "deploy-time";
  const hours = hoursBetween(deployedAt, latestAt);
  if (hours === null) return { ...row, reason: `unreadable deploy time "${deployedAt}"` };
  const after = await git([
    "log",
    "--format=%H%x09%s",
    `--since=${deployedAt}`,
    "--",
    ...source.inputs,
  ]);
  const commits = parseCommits(after.stdout);
  const behind = Math.max(0, hours);
  if (hours > o.staleAfterHours) {
    return {
      ...row,
      status: "drift",
      hoursBehind: behind,
      commitsBehind: commits,
      reason: `no commit label; inputs changed ${behind.toFixed(1)} h after the deploy (limit ${o.staleAfterHours} h)`,
    };
  }
  return {
    ...row,
    status: "up-to-date",
    hoursBehind: behind,
    commitsBehind: commits,
    reason: `no commit label; deploy is within ${o.staleAfterHours} h of the newest input change`,
  };
}

function parseCommits(text: string): { sha: string; subject: string }[] {
  return text
    .split("\n")
    .filter((line) => line.includes("\t"))
    .map((line) => {
      const [sha = "", ...rest] = line.split("\t");
      return { sha, subject: rest.join("\t") };
    });
}

function hoursBetween(fromIso: string, toIso: string): number | null {
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  return Math.round(((to - from) / MS_PER_HOUR) * 10) / 10;
}

const short = (sha: string) => sha.slice(0, 12);
const firstLine = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.length > 0) ?? "";
