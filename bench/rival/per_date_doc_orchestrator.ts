import type { OrchestratorConfig } from "../../packages/shared/src/config/load_config";
import type { HttpRequest } from "../../packages/shared/src/http/http_types";
import { decodeCompletion } from "../../packages/shared/src/messages/decode_completion";
import { normaliseProcessorName } from "../../packages/shared/src/messages/normalise_processor";
import { parseEnvelope } from "../../packages/shared/src/messages/pubsub_envelope";
import { evaluateRule } from "../../packages/shared/src/rules/evaluate_rule";
import type { PhaseSnapshot, ProcessorState } from "../../packages/shared/src/state/phase_state";
import type { FirestoreClient, PubSubClient } from "../lib/gcp";

/** Field of the per-date document that marks the decision, as the Python code named it. */
const TRIGGERED_FIELD = "_triggered";

/** One processor's field in the per-date document. */
interface ProcessorField {
  status: string;
  message_id: string;
  completed_at: string;
  counted: boolean;
}

/** What one delivery came to in the rival design. */
export type RivalAction = "waiting" | "triggered" | "duplicate" | "already_triggered";

/**
 * The design of the earlier Python orchestrators, rebuilt for comparison only: one
 * document per game date holding a field per processor; every message runs one Firestore
 * transaction that reads the whole document, adds its field, and decides the trigger
 * inside that same transaction; the trigger is published after the commit.
 *
 * Parsing, name normalisation and the trigger rule are the product's own, so the
 * benchmark compares the storage design and nothing else. Known weaknesses of the
 * original are kept on purpose (a failed publish after the commit is never retried).
 */
export class PerDateDocOrchestrator {
  private readonly topic;

  constructor(
    private readonly db: FirestoreClient,
    pubsub: PubSubClient,
    private readonly config: OrchestratorConfig,
  ) {
    this.topic = pubsub.topic(config.triggerTopic, {
      batching: { maxMessages: 1, maxMilliseconds: 0 },
    });
  }

  /** Handles one push delivery end to end, as the HTTP entry point would. */
  async handle(request: HttpRequest): Promise<RivalAction> {
    const received = parseEnvelope(request);
    const message = decodeCompletion(received.encodedData);
    const name = normaliseProcessorName(message.processor_name, message.output_table, {
      expected: this.config.expectedProcessors,
      aliases: this.config.aliases,
    });
    const ref = this.db.collection(this.config.collection).doc(message.game_date);
    const now = new Date();
    const outcome = await this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const data = (snap.exists ? snap.data() : {}) as Record<string, unknown>;
      const existing = data[name.processor] as ProcessorField | undefined;
      if (existing?.message_id === received.messageId) return { action: "duplicate" as const };
      const field: ProcessorField = {
        status: message.status,
        message_id: received.messageId,
        completed_at: now.toISOString(),
        counted:
          existing?.counted === true ||
          message.status === "success" ||
          message.status === "partial",
      };
      const update: Record<string, unknown> = { [name.processor]: field };
      const alreadyTriggered = data[TRIGGERED_FIELD] === true;
      const snapshot = toSnapshot(message.game_date, { ...data, [name.processor]: field });
      const decision = evaluateRule(
        snapshot,
        this.config.expectedProcessors,
        this.config.rule,
        now,
      );
      const triggerNow = !alreadyTriggered && decision.due;
      if (triggerNow) update[TRIGGERED_FIELD] = true;
      tx.set(ref, update, { merge: true });
      if (triggerNow) return { action: "triggered" as const, decision };
      return { action: alreadyTriggered ? ("already_triggered" as const) : ("waiting" as const) };
    });
    if (outcome.action === "triggered") {
      await this.topic.publishMessage({
        json: {
          game_date: message.game_date,
          trigger_reason: outcome.decision.reason,
          mode: outcome.decision.mode,
          completed_processors: outcome.decision.completed,
          missing_processors: outcome.decision.missing,
          triggered_by: `${this.config.name}-rival`,
          timestamp: now.toISOString(),
        },
      });
    }
    return outcome.action;
  }
}

/** Reads the per-date document as the product's rule expects its input. */
function toSnapshot(gameDate: string, data: Record<string, unknown>): PhaseSnapshot {
  const processors: ProcessorState[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith("_")) continue;
    const field = value as ProcessorField;
    processors.push({
      processor: key,
      known: true,
      reportedNames: [key],
      lastStatus: field.status as ProcessorState["lastStatus"],
      counted: field.counted,
      firstSeenAt: field.completed_at,
      lastSeenAt: field.completed_at,
      ...(field.counted && { completedAt: field.completed_at }),
      deliveries: 1,
      messageIds: [field.message_id],
      recordCount: 0,
    });
  }
  return { gameDate, processors };
}
