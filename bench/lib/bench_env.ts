import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningEmulator, startEmulator } from "../../packages/shared/src/testing/emulators";

/** The emulators one benchmark command started, and how to stop them. */
export interface BenchEnv {
  firestoreHost: string;
  pubsubHost: string;
  /** Process group of the Firestore emulator, to read its CPU time. */
  firestorePgid: number;
  stop: () => Promise<void>;
}

/**
 * Starts a Firestore and a Pub/Sub emulator on 127.0.0.1 and free ports, and points every
 * Google client of this process at them. Metadata-server detection is switched off so no
 * client ever looks for credentials off the machine.
 */
export async function startBenchEnv(): Promise<BenchEnv> {
  process.env.METADATA_SERVER_DETECTION = "none";
  const running: RunningEmulator[] = await Promise.all([
    startEmulator("firestore"),
    startEmulator("pubsub"),
  ]);
  const [firestore, pubsub] = running as [RunningEmulator, RunningEmulator];
  process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
  process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(running.map((e) => e.stop()));
  };
  // However this process ends (Ctrl-C, `timeout`, a crash), the two JVMs must not outlive
  // it: the exit hook signals their process groups synchronously.
  process.once("exit", () => {
    for (const e of running) {
      try {
        process.kill(-e.pid, "SIGCONT");
        process.kill(-e.pid, "SIGTERM");
      } catch {
        // already stopped
      }
    }
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => process.exit(130));
  }
  return {
    firestoreHost: firestore.host,
    pubsubHost: pubsub.host,
    firestorePgid: firestore.pid,
    stop,
  };
}

/** A fresh project id, so each measurement starts from empty emulator state. */
export function benchProjectId(prefix: string): string {
  return `bench-${prefix}-${randomUUID().slice(0, 8)}`;
}

/** One progress line on stderr, so a long run shows where it is. */
export function progress(text: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

/** Consecutive calendar dates from `first`, as `YYYY-MM-DD`. */
export function dateRange(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  const msPerDay = 86_400_000;
  return Array.from({ length: count }, (_, i) =>
    new Date(start + i * msPerDay).toISOString().slice(0, 10),
  );
}

const tempDirs: string[] = [];

/**
 * A fresh folder under the temp dir, removed when this process exits. Only the folder is
 * removed: a `node_modules` link inside it is unlinked, never followed.
 */
export function benchTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `orch-bench-${prefix}-`));
  if (tempDirs.length === 0) {
    process.once("exit", () => {
      for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    });
  }
  tempDirs.push(dir);
  return dir;
}
