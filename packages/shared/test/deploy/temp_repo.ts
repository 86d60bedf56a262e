import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A throwaway git repository laid out like this one, with commits at chosen times. */
export interface TempRepo {
  dir: string;
  /** Writes `path` (creating folders) and commits it at `at`; returns the commit SHA. */
  commit(path: string, subject: string, at: Date): string;
}

/** Repository root of this checkout, for copying the real manifest. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** Creates a repository whose first commit holds the real deploy manifest. */
export function createTempRepo(firstCommitAt: Date): { repo: TempRepo; first: string } {
  const dir = mkdtempSync(join(tmpdir(), "drift-repo-"));
  const git = (args: string[], at?: Date) =>
    execFileSync("git", args, {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "test",
        GIT_AUTHOR_EMAIL: "test@example.invalid",
        GIT_COMMITTER_NAME: "test",
        GIT_COMMITTER_EMAIL: "test@example.invalid",
        ...(at && { GIT_AUTHOR_DATE: at.toISOString(), GIT_COMMITTER_DATE: at.toISOString() }),
      },
    }).trim();
  git(["init", "-q", "-b", "main"]);
  const repo: TempRepo = {
    dir,
    commit(path, subject, at) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), `${subject}\n`);
      git(["add", path]);
      git(["commit", "-q", "-m", subject], at);
      return git(["rev-parse", "HEAD"]);
    },
  };
  mkdirSync(join(dir, "deploy"));
  copyFileSync(join(REPO_ROOT, "deploy", "functions.json"), join(dir, "deploy", "functions.json"));
  git(["add", "deploy/functions.json"]);
  const first = repo.commit("pnpm-lock.yaml", "initial layout", firstCommitAt);
  return { repo, first };
}
