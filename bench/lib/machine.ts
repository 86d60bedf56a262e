import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { findSdkPlatformDir } from "../../packages/shared/src/testing/emulators";

const BYTES_PER_GIB = 1024 ** 3;

/** The load averages, for the note beside each figure: other work skews every number. */
export function loadNote(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
}

/** Markdown describing the machine and the versions of everything measured. */
export function machineSummary(): string {
  const cpu = cpus();
  const lines = [
    "## Machine",
    "",
    `- CPU: ${cpu.length} × ${cpu[0]?.model ?? "unknown"}`,
    `- memory: ${(totalmem() / BYTES_PER_GIB).toFixed(1)} GiB`,
    `- Node ${process.version}, pnpm ${commandVersion("pnpm", ["--version"])}`,
    `- emulators: ${emulatorVersions()}`,
    `- load average (1/5/15 min) when written: ${loadNote()}`,
  ];
  return lines.join("\n");
}

function commandVersion(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8", timeout: 10_000 }).trim();
  } catch {
    return "unknown";
  }
}

/** Versions recorded by the Cloud SDK's component snapshots, without running gcloud. */
function emulatorVersions(): string {
  const platform = findSdkPlatformDir();
  if (platform === null) return "not found";
  const out: string[] = [];
  for (const id of ["cloud-firestore-emulator", "pubsub-emulator"]) {
    const file = join(platform, "..", ".install", `${id}.snapshot.json`);
    if (!existsSync(file)) continue;
    const snapshot = JSON.parse(readFileSync(file, "utf8")) as {
      components?: { id: string; version?: { version_string?: string } }[];
    };
    const version = snapshot.components?.find((c) => c.id === id)?.version?.version_string;
    out.push(`${id} ${version ?? "unknown"}`);
  }
  return out.length > 0 ? out.join(", ") : "unknown";
}
