import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { HostEvent, ObservedRequest, ServedFunction } from "./host_protocol";

/** How long the host may take to import the functions and listen. */
const HOST_START_TIMEOUT_MS = 60_000;
/** How long a stopped host has to exit before it is killed. */
const STOP_GRACE_MS = 5_000;
/** Lines of the functions log shown when the host fails. */
const LOG_TAIL_LINES = 20;

/** The running functions host, seen from the demo. */
export interface FunctionsHost {
  pid: number;
  functions: ServedFunction[];
  /** Called for every request a function answered. */
  onRequest(listener: (request: ObservedRequest) => void): void;
  /** Set once the host has exited; the reason says how. */
  exited(): string | null;
  stop(): Promise<void>;
}

/**
 * Starts `functions_host.ts` in its own process group, with `env`, its output appended to
 * `logPath`, and waits until the three functions listen.
 */
export async function startFunctionsHost(
  env: NodeJS.ProcessEnv,
  logPath: string,
): Promise<FunctionsHost> {
  const require = createRequire(import.meta.url);
  const tsxLoader = pathToFileURL(require.resolve("tsx")).href;
  const entry = fileURLToPath(new URL("./functions_host.ts", import.meta.url));
  const logFd = openSync(logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ["--import", tsxLoader, entry], {
      env,
      detached: true,
      stdio: ["ignore", logFd, logFd, "ipc"],
    });
  } finally {
    closeSync(logFd);
  }
  const listeners: ((request: ObservedRequest) => void)[] = [];
  let exitReason: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exitReason = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
  });
  const ready = new Promise<{ pid: number; functions: ServedFunction[] }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`functions did not start within ${HOST_START_TIMEOUT_MS} ms`)),
      HOST_START_TIMEOUT_MS,
    );
    child.on("message", (event: HostEvent) => {
      if (event.type === "ready") {
        clearTimeout(timer);
        resolve(event);
      } else if (event.type === "start_failed") {
        clearTimeout(timer);
        reject(new Error(`functions failed to start: ${event.error.split("\n")[0]}`));
      } else {
        for (const listener of listeners) listener(event);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`functions host ${exitReason ?? "exited"} before it was ready`));
    });
  });
  const stop = () => stopGroup(child, exited);
  try {
    const { pid, functions } = await ready;
    return {
      pid,
      functions,
      onRequest: (listener) => listeners.push(listener),
      exited: () => exitReason,
      stop,
    };
  } catch (error) {
    await stop();
    const tail = logTail(logPath);
    throw new Error(`${(error as Error).message}\n--- last lines of ${logPath} ---\n${tail}`);
  }
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** The last lines of the functions log, for an error message. */
export function logTail(logPath: string, lines = LOG_TAIL_LINES): string {
  try {
    return readFileSync(logPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(log not readable)";
  }
}
