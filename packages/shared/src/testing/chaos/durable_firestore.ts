import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { emulatorBinaries, freePort } from "../emulators";

const START_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 100;

/**
 * A Firestore emulator that can be killed and restarted on the same port without losing
 * what it had stored, as real Firestore would: `snapshot()` exports through the emulator's
 * REST API, `killAndRestart()` SIGKILLs the process group and starts a new emulator that
 * imports the snapshot. Cut clients off first (TcpFaultProxy) so nothing is written between
 * the snapshot and the kill.
 */
export class DurableFirestoreEmulator {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  /** `127.0.0.1:PORT` of the emulator itself. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts an empty emulator on a free port; exports go under `dataDir`. */
  static async start(dataDir: string): Promise<DurableFirestoreEmulator> {
    const emulator = new DurableFirestoreEmulator(await freePort(), dataDir);
    await emulator.spawn([]);
    return emulator;
  }

  /** Exports every document of `projectId` and returns the export's metadata file. */
  async snapshot(projectId: string): Promise<string> {
    const dir = join(this.dataDir, `export-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const response = await fetch(`http://${this.host}/emulator/v1/projects/${projectId}:export`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        database: `projects/${projectId}/databases/(default)`,
        export_directory: dir,
      }),
    });
    if (!response.ok) throw new Error(`export failed: ${response.status} ${await response.text()}`);
    const [folder] = readdirSync(dir);
    if (!folder) throw new Error(`export wrote nothing under ${dir}`);
    return join(dir, folder, `${folder}.overall_export_metadata`);
  }

  /** Kills the emulator (SIGKILL) and starts a new one on the same port from `metadata`. */
  async killAndRestart(metadata: string): Promise<void> {
    await this.stop("SIGKILL");
    await this.spawn([`--import-data=${metadata}`]);
  }

  /** Stops the emulator's process group. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid, "SIGCONT");
      process.kill(-child.pid, signal);
    } catch {
      return;
    }
    await exited;
  }

  /** Stops the emulator and deletes its exports. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Pauses (SIGSTOP) or resumes (SIGCONT) the emulator's process group. */
  signal(signal: "SIGSTOP" | "SIGCONT"): void {
    if (this.child?.pid) process.kill(-this.child.pid, signal);
  }

  private async spawn(extraArgs: string[]): Promise<void> {
    const binaries = emulatorBinaries();
    if (!binaries.ok) throw new Error(`cannot start Firestore: ${binaries.reason}`);
    const child = spawn(
      binaries.firestore,
      ["start", "--host=127.0.0.1", `--port=${this.port}`, ...extraArgs],
      { detached: true, stdio: "ignore" },
    );
    this.child = child;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`Firestore exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://${this.host}/`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // not listening yet (or the old process still holds the port)
      }
      await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    }
    throw new Error(`Firestore on ${this.host} did not answer within ${START_TIMEOUT_MS} ms`);
  }
}
