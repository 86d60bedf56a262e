import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../emulators";

const here = dirname(fileURLToPath(import.meta.url));
const INSTANCE_MAIN = join(here, "instance_main.ts");
/** tsx from the workspace root: the instances run the TypeScript sources as the tests do. */
const TSX = join(here, "..", "..", "..", "..", "..", "node_modules", ".bin", "tsx");
/** Loading the Google clients takes a few seconds on a busy 2-core machine. */
const START_TIMEOUT_MS = 45_000;

/** One running (or dead) function process. */
export interface Instance {
  index: number;
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * A set of function processes serving the same orchestrator, each on its own loopback port,
 * as several Cloud Functions instances would. Keeps every line they print, so tests can
 * search it for secrets, and kills or restarts an instance by its pid.
 */
export class InstancePool {
  /** Every line any instance printed on stdout or stderr, in arrival order. */
  readonly output: string[] = [];
  private readonly instances: Instance[] = [];

  constructor(
    private readonly functionName: string,
    private readonly env: Record<string, string>,
  ) {}

  /** Starts `count` instances in parallel. */
  async start(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, (_, i) => this.spawnAt(i)));
  }

  /** The live instance at `index`. */
  at(index: number): Instance {
    const instance = this.instances[index];
    if (!instance) throw new Error(`no instance ${index}`);
    return instance;
  }

  get size(): number {
    return this.instances.length;
  }

  /**
   * Kills instance `index` with SIGKILL, as a crashed container, and waits for its exit.
   * The whole process group goes: tsx runs the function in a child node process.
   */
  async kill(index: number): Promise<void> {
    const instance = this.at(index);
    try {
      process.kill(-instance.pid, "SIGKILL");
    } catch {
      // the group is already gone
    }
    await instance.exited;
  }

  /** Starts a fresh process in slot `index`, with extra environment (e.g. a failure point). */
  async restart(index: number, extraEnv: Record<string, string> = {}): Promise<Instance> {
    await this.kill(index);
    return this.spawnAt(index, extraEnv);
  }

  /** Kills every instance. */
  async stopAll(): Promise<void> {
    await Promise.all(this.instances.map((_, i) => this.kill(i)));
  }

  private async spawnAt(index: number, extraEnv: Record<string, string> = {}): Promise<Instance> {
    const port = await freePort();
    const child = spawn(TSX, [INSTANCE_MAIN], {
      env: {
        ...process.env,
        ...this.env,
        ...extraEnv,
        ORCH_FUNCTION: this.functionName,
        PORT: String(port),
        METADATA_SERVER_DETECTION: "none",
        ORCH_PARENT_PID: String(process.pid),
      },
      // Its own process group, so that a kill also ends the node process tsx starts.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`instance ${index} not ready in ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      const onLine = (line: string) => {
        this.output.push(line);
        if (line.startsWith(`READY ${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      splitLines(child.stdout, onLine);
      splitLines(child.stderr, onLine);
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`instance ${index} exited with ${code} before listening`));
      });
    });
    const instance: Instance = {
      index,
      port,
      url: `http://127.0.0.1:${port}`,
      pid: child.pid as number,
      child,
      exited,
    };
    this.instances[index] = instance;
    await ready;
    return instance;
  }
}

function splitLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let rest = "";
  stream?.on("data", (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split("\n");
    rest = parts.pop() ?? "";
    for (const part of parts) onLine(part);
  });
  stream?.on("end", () => {
    if (rest) onLine(rest);
  });
}
