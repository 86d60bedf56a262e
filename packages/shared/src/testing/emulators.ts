import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readlinkSync, realpathSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

/** How long an emulator may take to answer its first request before we give up. */
const START_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 100;

/** Which emulator binary to start. */
export type EmulatorKind = "firestore" | "pubsub";

/** A running emulator this process started, on 127.0.0.1. */
export interface RunningEmulator {
  kind: EmulatorKind;
  /** `127.0.0.1:PORT`, the value for FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST. */
  host: string;
  port: number;
  pid: number;
  /** Stops the emulator (its process group) and waits for it to exit. */
  stop(): Promise<void>;
  /** Pauses it with SIGSTOP, for fault tests; `resume` sends SIGCONT. */
  pause(): void;
  resume(): void;
}

/** Locates the Google Cloud SDK's `platform/` folder, or returns null when it is missing. */
export function findSdkPlatformDir(): string | null {
  const candidates: string[] = [];
  if (process.env.CLOUDSDK_ROOT_DIR)
    candidates.push(join(process.env.CLOUDSDK_ROOT_DIR, "platform"));
  try {
    const gcloud = execFileSync("which", ["gcloud"], { encoding: "utf8" }).trim();
    if (gcloud) {
      const real = realpathSync(gcloud);
      candidates.push(join(dirname(real), "..", "platform"));
      try {
        candidates.push(join(dirname(readlinkSync(gcloud)), "..", "platform"));
      } catch {
        // not a link: the realpath candidate above already covers it
      }
    }
  } catch {
    // `which` found nothing: fall through to the usual install folders
  }
  candidates.push("/usr/lib/google-cloud-sdk/platform", "/usr/share/google-cloud-sdk/platform");
  for (const dir of candidates) {
    if (existsSync(join(dir, "cloud-firestore-emulator"))) return dir;
  }
  return null;
}

/** The emulator binaries, or the reason they cannot be used. */
export function emulatorBinaries():
  | { ok: true; firestore: string; pubsub: string }
  | { ok: false; reason: string } {
  const platform = findSdkPlatformDir();
  if (!platform) return { ok: false, reason: "Google Cloud SDK platform folder not found" };
  const firestore = join(platform, "cloud-firestore-emulator", "cloud_firestore_emulator");
  const pubsub = join(platform, "pubsub-emulator", "bin", "cloud-pubsub-emulator");
  if (!existsSync(firestore)) return { ok: false, reason: `missing ${firestore}` };
  if (!existsSync(pubsub)) return { ok: false, reason: `missing ${pubsub}` };
  try {
    execFileSync("java", ["-version"], { stdio: "ignore" });
  } catch {
    return { ok: false, reason: "java is not on PATH (the emulators need it)" };
  }
  return { ok: true, firestore, pubsub };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        reject(new Error("no port"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * Starts one emulator on 127.0.0.1 and a free (or given) port, and resolves once it
 * answers HTTP. The process gets its own group so that stopping it also ends the JVM.
 */
export async function startEmulator(
  kind: EmulatorKind,
  options: { port?: number } = {},
): Promise<RunningEmulator> {
  const binaries = emulatorBinaries();
  if (!binaries.ok) throw new Error(`cannot start the ${kind} emulator: ${binaries.reason}`);
  const port = options.port ?? (await freePort());
  const args =
    kind === "firestore"
      ? ["start", "--host=127.0.0.1", `--port=${port}`]
      : ["--host=127.0.0.1", `--port=${port}`];
  const child = spawn(kind === "firestore" ? binaries.firestore : binaries.pubsub, args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const host = `127.0.0.1:${port}`;
  await waitUntilAnswering(host, child, () => output);
  const pid = child.pid as number;
  return {
    kind,
    host,
    port,
    pid,
    stop: () => stopGroup(child),
    pause: () => process.kill(-pid, "SIGSTOP"),
    resume: () => process.kill(-pid, "SIGCONT"),
  };
}

async function waitUntilAnswering(
  host: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`emulator exited with ${child.exitCode}: ${output()}`);
    }
    try {
      const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
  await stopGroup(child);
  throw new Error(`emulator on ${host} did not answer within ${START_TIMEOUT_MS} ms: ${output()}`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGCONT");
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}
