import { benchProjectId } from "./bench_env";
import { Firestore, type FirestoreClient } from "./gcp";
import type { Delivery } from "./workload";

/**
 * The reference for throughput: the least an orchestrator could ask of the emulator, one
 * transaction per completion that reads one document and writes it. Each completion has
 * its own document, so nothing contends; the product cannot do less and stay safe.
 */
export class MinimumReference {
  private readonly db: FirestoreClient;

  constructor() {
    this.db = new Firestore({ projectId: benchProjectId("min"), ignoreUndefinedProperties: true });
  }

  /** One read-and-write transaction for one completion. */
  async handle(delivery: Delivery): Promise<boolean> {
    const ref = this.db
      .collection("minimum")
      .doc(`${delivery.message.game_date}_${delivery.messageId}`);
    await this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      tx.set(ref, { seen: (snap.exists ? (snap.get("seen") as number) : 0) + 1 });
    });
    return true;
  }

  async close(): Promise<void> {
    await this.db.terminate();
  }
}
