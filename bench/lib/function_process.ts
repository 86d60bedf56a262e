import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { freePort } from "../../packages/shared/src/testing/emulators";
import type { StartableFunction } from "./bundles";

const PRELOAD = join(import.meta.dirname, "loopback_preload.cjs");
const START_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 5;
const KIB = 1024;

/** A function served by functions-framework in a child process this benchmark started. */
export interface FunctionProcess {
  pid: number;
  base: string;
  /** performance.now() just before the process was spawned. */
  spawnedAt: number;
  output: () => string;
  /** Peak and current resident set size, in MiB, from /proc. */
  memoryMiB: () => { peak: number; current: number };
  stop: () => Promise<void>;
}

/**
 * Starts `fn` the way Cloud Functions does, with the functions-framework CLI, on a free
 * loopback port; `env` adds to a minimal environment (no credentials, no metadata server).
 */
export async function startFunction(
  fn: StartableFunction,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<FunctionProcess> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...nodeArgs,
      "--require",
      PRELOAD,
      "node_modules/@google-cloud/functions-framework/build/src/main.js",
      `--target=${fn.entryPoint}`,
      `--port=${port}`,
    ],
    {
      cwd: fn.dir,
      env: {
        PATH: process.env.PATH ?? "",
        METADATA_SERVER_DETECTION: "none",
        NODE_ENV: "production",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const pid = child.pid as number;
  return {
    pid,
    base: `http://127.0.0.1:${port}`,
    spawnedAt,
    output: () => output,
    memoryMiB: () => readMemory(pid),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Polls `path` until it answers 200; resolves with the time since spawn, in ms. */
export async function firstOk(fn: FunctionProcess, path: string): Promise<number> {
  const deadline = fn.spawnedAt + START_TIMEOUT_MS;
  while (performance.now() < deadline) {
    try {
      const response = await fetch(`${fn.base}${path}`);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - fn.spawnedAt;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
  throw new Error(`no 200 from ${path} within ${START_TIMEOUT_MS} ms:\n${fn.output()}`);
}

/** POSTs one JSON body; resolves with the status. */
export async function postJson(fn: FunctionProcess, body: unknown): Promise<number> {
  const response = await fetch(fn.base, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** VmHWM (peak resident set) and VmRSS of a process, in MiB. */
function readMemory(pid: number): { peak: number; current: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) / KIB : Number.NaN;
  };
  return { peak: field("VmHWM"), current: field("VmRSS") };
}
