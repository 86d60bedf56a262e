import { randomUUID } from "node:crypto";
import type { BackupStore, CompletionRow } from "../backup/backup_store";
import { completionRowId } from "../backup/row_id";
import type { Clock } from "../clock";
import type { OrchestratorConfig } from "../config/load_config";
import {
  DualWriteFailureError,
  describeError,
  InvalidMessageError,
  StaleMessageError,
  TransientDependencyError,
} from "../errors";
import type { CompletionMessage } from "../messages/completion_message";
import { normaliseProcessorName, type NormalisedName } from "../messages/normalise_processor";
import type { CompletionInput } from "../state/firestore_state_store";
import type { StateStore } from "../state/state_store";
import { statusRowFrom } from "./status_view";
import type { TriggerCoordinator, TriggerOutcome } from "./trigger_coordinator";

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
/** No game of this pipeline's data predates it; an older date is a malformed one. */
const EARLIEST_GAME_DATE = "2000-01-01";

/** One Pub/Sub delivery of a valid completion message. */
export interface CompletionDelivery {
  message: CompletionMessage;
  messageId: string;
  publishTime?: string;
}

/** Everything the entry point needs to log and answer one delivery. */
export interface CompletionResult extends TriggerOutcome {
  name: NormalisedName;
  /** Status this delivery reported. */
  status: CompletionMessage["status"];
  /** The same message id was recorded before. */
  duplicate: boolean;
  /** A processor that first counted after its phase had already triggered. */
  late: boolean;
  /** Backup failures that did not stop the message (the primary store has it). */
  backupError?: unknown;
  /** Failure to refresh the backup status row; informational. */
  statusError?: unknown;
}

/**
 * Records completions in the primary and the backup store, then lets the coordinator
 * decide. Both write outcomes are checked: both failed → `DualWriteFailureError`; primary
 * failed → retryable error (the decision needs the primary); backup failed → reported.
 */
export class CompletionTracker {
  constructor(
    private readonly config: OrchestratorConfig,
    private readonly state: StateStore,
    private readonly backup: BackupStore | null,
    private readonly coordinator: TriggerCoordinator,
    private readonly clock: Clock,
    private readonly newAttemptId: () => string = randomUUID,
  ) {}

  async handle(delivery: CompletionDelivery): Promise<CompletionResult> {
    const now = this.clock.now();
    this.rejectIfStale(delivery, now);
    this.rejectImplausibleDate(delivery.message.game_date, now);
    const { message, messageId } = delivery;
    const name = normaliseProcessorName(message.processor_name, message.output_table, {
      expected: this.config.expectedProcessors,
      aliases: this.config.aliases,
    });
    const input = toInput(message, name, messageId, now);
    const [primary, backup] = await Promise.allSettled([
      this.state.recordCompletion(input),
      this.backup?.recordCompletion(this.toRow(message, name, messageId, now)),
    ]);
    if (primary.status === "rejected" && backup.status === "rejected") {
      throw new DualWriteFailureError(primary.reason, backup.reason);
    }
    if (primary.status === "rejected") {
      const kept = this.backup ? `the ${this.backup.kind} backup has the completion` : "no backup";
      throw new TransientDependencyError(
        "firestore",
        `primary store failed (${describeError(primary.reason)}; ${kept}); handing back for redelivery`,
        { cause: primary.reason, code: "primary_write_failed" },
      );
    }
    // One holder per attempt: two deliveries of one message may run at once on two instances.
    const attempt = `${messageId}/${this.newAttemptId()}`;
    const outcome = await this.coordinator.evaluate(message.game_date, attempt, messageId);
    const trigger = outcome.trigger;
    const counted = outcome.snapshot.processors.some(
      (p) => p.known && p.processor === name.processor && p.counted,
    );
    const late =
      name.known &&
      counted &&
      trigger !== undefined &&
      outcome.action !== "triggered" &&
      !trigger.payload.completed_processors.includes(name.processor);
    const statusError = await this.refreshStatus(outcome, now);
    return {
      ...outcome,
      name,
      status: message.status,
      duplicate: primary.value.duplicate,
      late,
      ...(backup.status === "rejected" && { backupError: backup.reason }),
      ...(statusError !== undefined && { statusError }),
    };
  }

  /**
   * A game date far ahead is a typo (2062 for 2026), not a schedule: taken as "tomorrow" it
   * would start the next phase on one processor's word.
   */
  private rejectImplausibleDate(gameDate: string, now: Date): void {
    const aheadDays = (Date.parse(`${gameDate}T00:00:00Z`) - now.getTime()) / MS_PER_DAY;
    if (gameDate < EARLIEST_GAME_DATE || aheadDays > this.config.maxGameDateDaysAhead) {
      throw new InvalidMessageError(
        `game_date ${gameDate} is outside ${EARLIEST_GAME_DATE} .. today + ${this.config.maxGameDateDaysAhead} days`,
        gameDate,
      );
    }
  }

  /** Pub/Sub keeps retrying a failing message for days; past the limit it is dropped. */
  private rejectIfStale(delivery: CompletionDelivery, now: Date): void {
    if (delivery.publishTime === undefined) return;
    const published = new Date(delivery.publishTime).getTime();
    if (Number.isNaN(published)) return;
    const ageHours = (now.getTime() - published) / MS_PER_HOUR;
    if (ageHours > this.config.maxMessageAgeHours) {
      throw new StaleMessageError(
        `message published ${ageHours.toFixed(1)} h ago, over the ${this.config.maxMessageAgeHours} h limit`,
      );
    }
  }

  private toRow(
    message: CompletionMessage,
    name: NormalisedName,
    messageId: string,
    now: Date,
  ): CompletionRow {
    return {
      rowId: completionRowId({
        transition: this.config.name,
        gameDate: message.game_date,
        reportedName: message.processor_name,
        messageId,
      }),
      phase: this.config.sourcePhase,
      transition: this.config.name,
      gameDate: message.game_date,
      processor: name.processor,
      reportedName: message.processor_name,
      known: name.known,
      status: message.status,
      recordCount: message.record_count,
      correlationId: message.correlation_id ?? null,
      executionId: message.execution_id ?? null,
      messageId,
      completedAt: message.timestamp ?? null,
      receivedAt: now.toISOString(),
      metadataJson:
        JSON.stringify(message.metadata) !== "{}" ? JSON.stringify(message.metadata) : null,
    };
  }

  private async refreshStatus(outcome: TriggerOutcome, now: Date): Promise<unknown> {
    if (!this.backup) return undefined;
    try {
      await this.backup.upsertStatus(statusRowFrom(this.config, outcome, now));
      return undefined;
    } catch (error) {
      return error;
    }
  }
}

function toInput(
  message: CompletionMessage,
  name: NormalisedName,
  messageId: string,
  now: Date,
): CompletionInput {
  const input: CompletionInput = {
    gameDate: message.game_date,
    processor: name.processor,
    known: name.known,
    reportedName: message.processor_name,
    status: message.status,
    messageId,
    receivedAt: now,
    recordCount: message.record_count,
  };
  if (message.correlation_id !== undefined) input.correlationId = message.correlation_id;
  if (message.execution_id !== undefined) input.executionId = message.execution_id;
  if (message.metadata.is_incremental !== undefined) {
    input.isIncremental = message.metadata.is_incremental;
  }
  if (message.metadata.entities_changed !== undefined) {
    input.entitiesChanged = message.metadata.entities_changed;
  }
  return input;
}
