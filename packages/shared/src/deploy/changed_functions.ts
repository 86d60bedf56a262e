import type { DeployManifest } from "./manifest";
import type { RunCommand } from "./run_command";

/** What push events send as `before` for a new branch: no previous commit to diff against. */
const NO_COMMIT = /^0+$/;

/**
 * Names of the functions whose inputs differ between `base` and `head`. Without a usable
 * base (first push, force push that dropped it) every function is returned: deploying one
 * too many is cheap, missing one is the drift this project exists to prevent.
 */
export async function changedFunctions(
  manifest: DeployManifest,
  base: string | undefined,
  head: string,
  repoDir: string,
  run: RunCommand,
): Promise<string[]> {
  const all = manifest.functions.map((f) => f.name);
  if (!base || NO_COMMIT.test(base)) return all;
  const known = await run(["git", "cat-file", "-e", `${base}^{commit}`], { cwd: repoDir });
  if (known.code !== 0) return all;
  const changed: string[] = [];
  for (const spec of manifest.functions) {
    const diff = await run(["git", "diff", "--quiet", base, head, "--", ...spec.inputs], {
      cwd: repoDir,
    });
    // `git diff --quiet` exits 1 when there are differences, 0 when none, >1 on error.
    if (diff.code === 1) changed.push(spec.name);
    else if (diff.code !== 0) throw new Error(`git diff failed: ${diff.stderr.trim()}`);
  }
  return changed;
}
