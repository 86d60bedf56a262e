import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** A demo run as a child process, with its output collected as it arrives. */
export interface DemoProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output contains `text`. */
  waitForOutput(text: string): Promise<void>;
  /** Resolves with the exit code, or `signal:NAME`. */
  exit: Promise<string | number>;
}

/** Starts `src/main.ts` with `args`, exactly as `pnpm run start` does, without pnpm. */
export function startDemo(args: string[]): DemoProcess {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let text = "";
  const waiters: { needle: string; resolve: () => void }[] = [];
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of waiters.filter((w) => text.includes(w.needle))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exit = new Promise<string | number>((resolve) => {
    child.once("exit", (code, signal) => resolve(signal ? `signal:${signal}` : (code ?? -1)));
  });
  return {
    child,
    output: () => text,
    waitForOutput: (needle) =>
      text.includes(needle)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ needle, resolve })),
    exit,
  };
}

/** Whether a process with this pid still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
