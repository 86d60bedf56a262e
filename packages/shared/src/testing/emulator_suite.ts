import { randomUUID } from "node:crypto";
import { describe, inject } from "vitest";
import { recordSkippedSuite } from "./global_setup";

/** Emulator addresses provided by the global setup, or null where they are missing. */
export function emulatorHosts(): { firestoreHost: string; pubsubHost: string } | null {
  const provided = inject("emulators");
  if (!provided?.available) return null;
  process.env.FIRESTORE_EMULATOR_HOST = provided.firestoreHost;
  process.env.PUBSUB_EMULATOR_HOST = provided.pubsubHost;
  return { firestoreHost: provided.firestoreHost, pubsubHost: provided.pubsubHost };
}

/**
 * `describe` for suites that need the Firestore and Pub/Sub emulators: skipped, and
 * named in the closing banner, where the emulators are missing.
 */
export function describeWithEmulators(name: string, body: () => void): void {
  if (emulatorHosts() === null) {
    recordSkippedSuite(name);
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}

/** A fresh project id, so that each test sees empty emulator state. */
export function uniqueProjectId(prefix = "test"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
