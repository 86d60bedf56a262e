import { appendFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { emulatorBinaries, type RunningEmulator, startEmulator } from "./emulators";

/**
 * Vitest global setup: starts one Firestore and one Pub/Sub emulator for the whole run,
 * on 127.0.0.1 and free ports. Tests isolate themselves by project id. Where the
 * emulators are missing it says so loudly, and lists at the end every suite it skipped;
 * with REQUIRE_EMULATORS=1 (set by CI) a missing emulator fails the run instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const skippedFile = join(mkdtempSync(join(tmpdir(), "orch-skips-")), "skipped.txt");
  process.env.ORCH_SKIPPED_SUITES_FILE = skippedFile;
  const binaries = emulatorBinaries();
  const running: RunningEmulator[] = [];
  if (!binaries.ok) {
    if (process.env.REQUIRE_EMULATORS === "1") {
      throw new Error(`REQUIRE_EMULATORS=1 but the emulators are missing: ${binaries.reason}`);
    }
    banner(`EMULATORS MISSING: ${binaries.reason}. Firestore and Pub/Sub tests will be SKIPPED.`);
    process.env.ORCH_EMULATORS = "missing";
    project.provide("emulators", { available: false, firestoreHost: "", pubsubHost: "" });
  } else {
    const [firestore, pubsub] = await Promise.all([
      startEmulator("firestore"),
      startEmulator("pubsub"),
    ]);
    running.push(firestore, pubsub);
    process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
    process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
    process.env.ORCH_EMULATORS = "running";
    project.provide("emulators", {
      available: true,
      firestoreHost: firestore.host,
      pubsubHost: pubsub.host,
    });
  }
  return async () => {
    await Promise.all(running.map((e) => e.stop()));
    if (existsSync(skippedFile)) {
      const names = readFileSync(skippedFile, "utf8").trim().split("\n");
      banner(`SKIPPED for lack of emulators (${names.length}):\n  ${names.join("\n  ")}`);
    }
  };
}

function banner(text: string): void {
  const line = "!".repeat(78);
  process.stderr.write(`\n${line}\n${text}\n${line}\n\n`);
}

/** Records a suite that could not run, for the closing banner. */
export function recordSkippedSuite(name: string): void {
  const file = process.env.ORCH_SKIPPED_SUITES_FILE;
  if (file) appendFileSync(file, `${name}\n`);
}

declare module "vitest" {
  export interface ProvidedContext {
    emulators: { available: boolean; firestoreHost: string; pubsubHost: string };
  }
}
