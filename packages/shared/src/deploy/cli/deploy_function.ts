/**
 * `bin/deploy`: builds and deploys one function of the manifest, labels it with the
 * commit, then points its push subscription at it. `--dry-run` prints the exact commands.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { BUNDLE_DIR, buildBundle } from "../bundle";
import { type Command, planDeploy, shellQuote, withUrl } from "../deploy_commands";
import { findFunction, loadManifest } from "../manifest";
import { runCommand } from "../run_command";

const repoRoot = resolve(import.meta.dirname, "..", "..", "..", "..", "..");

const USAGE = `usage: bin/deploy NAME [--project ID] [--commit SHA] [--dry-run] [--allow-dirty]
       bin/deploy --list | --show NAME
  NAME is a function of deploy/functions.json; --list prints them, one a line, and
  --show prints one's merged settings as JSON.
  The project comes from --project, CLOUDSDK_CORE_PROJECT or GOOGLE_CLOUD_PROJECT.`;

/** Runs a command with its output on our stderr, so stdout carries only the URL. */
function runVisible(command: Command): Promise<number> {
  process.stderr.write(`+ ${shellQuote(command)}\n`);
  const [program, ...args] = command;
  return new Promise((done) => {
    const child = spawn(program ?? "false", args, { stdio: ["ignore", 2, 2] });
    child.on("error", () => done(127));
    child.on("close", (code) => done(code ?? 1));
  });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      project: { type: "string" },
      commit: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "allow-dirty": { type: "boolean", default: false },
      list: { type: "boolean", default: false },
      show: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  const manifest = loadManifest(repoRoot);
  if (values.help) return print(USAGE, 0);
  if (values.list) return print(manifest.functions.map((f) => f.name).join("\n"), 0);
  if (values.show) return print(JSON.stringify(findFunction(manifest, values.show), null, 2), 0);
  const [name] = positionals;
  if (name === undefined || positionals.length !== 1) return print(USAGE, 2, true);
  const spec = findFunction(manifest, name);
  const project =
    values.project ?? process.env.CLOUDSDK_CORE_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT;
  if (!project) return print(`no project: pass --project\n${USAGE}`, 2, true);

  const git = (args: string[]) => runCommand(["git", ...args], { cwd: repoRoot });
  const commitSha = values.commit ?? (await git(["rev-parse", "HEAD"])).stdout.trim();
  // A label must name the code that runs; uncommitted input changes would make it lie.
  const dirty = (await git(["status", "--porcelain", "--", ...spec.inputs])).stdout.trim();
  if (dirty && !values["allow-dirty"] && !values["dry-run"]) {
    return print(
      `uncommitted changes in ${name}'s inputs:\n${dirty}\n(--allow-dirty to deploy anyway)`,
      2,
      true,
    );
  }

  const bundleDir = join(repoRoot, spec.sourceDir, BUNDLE_DIR);
  const envFile = join(mkdtempSync(join(tmpdir(), `deploy-${name}-`)), "env.yaml");
  const plan = planDeploy(spec, {
    project,
    commitSha,
    bundleDir,
    envFile,
    variables: process.env,
  });

  if (values["dry-run"]) {
    const lines = [
      `# ${envFile}`,
      ...plan.envFileContent
        .trimEnd()
        .split("\n")
        .map((l) => `#   ${l}`),
      `# build: bundle ${spec.sourceDir} into ${bundleDir}`,
      shellQuote(plan.deploy),
      `URL="$(${shellQuote(plan.describeUrl)})"`,
      `if ${shellQuote(plan.describeSubscription)} >/dev/null 2>&1; then`,
      `  ${withEndpointVariable(plan.updateSubscription)}`,
      "else",
      `  ${withEndpointVariable(plan.createSubscription)}`,
      "fi",
    ];
    return print(lines.join("\n"), 0);
  }

  await buildBundle(spec, repoRoot, bundleDir);
  writeFileSync(envFile, plan.envFileContent);
  if ((await runVisible(plan.deploy)) !== 0) return print(`deploy of ${name} failed`, 1, true);
  const url = (await runCommand(plan.describeUrl)).stdout.trim();
  if (!url.startsWith("https://")) return print(`no URL for ${name}: "${url}"`, 1, true);
  const exists = (await runCommand(plan.describeSubscription)).code === 0;
  const wire = withUrl(exists ? plan.updateSubscription : plan.createSubscription, url);
  if ((await runVisible(wire)) !== 0) return print(`push subscription of ${name} failed`, 1, true);
  return print(url, 0);
}

/** Shell text of a subscription command whose endpoint is the `$URL` variable. */
function withEndpointVariable(command: Command): string {
  return shellQuote(withUrl(command, "@URL@")).replace(
    "--push-endpoint=@URL@",
    '"--push-endpoint=$URL"',
  );
}

function print(text: string, code: number, toStderr = false): number {
  (toStderr ? process.stderr : process.stdout).write(`${text}\n`);
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`deploy failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
