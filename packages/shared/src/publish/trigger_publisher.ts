import type { PubSub, Topic } from "@google-cloud/pubsub";
import { IDEMPOTENCY_KEY_ATTRIBUTE, type TriggerMessage } from "../messages/trigger_message";

/** Sends a trigger to the next phase; resolves with the Pub/Sub message id. */
export interface TriggerPublisher {
  publish(topic: string, message: TriggerMessage): Promise<string>;
}

/**
 * Longest a publish may keep retrying inside the client. The client's default is 600 s,
 * ten times the function's timeout: the instance would be killed mid-retry and the message
 * redelivered anyway. Giving up sooner turns an outage into a prompt 503 and redelivery.
 */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 20_000;

/** gRPC codes the client retries on publish (its own default list). */
const PUBLISH_RETRY_CODES = [10, 1, 4, 13, 8, 14, 2];

/**
 * Publishes triggers with `@google-cloud/pubsub`. Batching is off: a trigger is one
 * message and waiting to fill a batch would only delay the next phase.
 */
export class PubSubTriggerPublisher implements TriggerPublisher {
  private readonly topics = new Map<string, Topic>();

  constructor(
    private readonly pubsub: PubSub,
    private readonly timeoutMs: number = DEFAULT_PUBLISH_TIMEOUT_MS,
  ) {}

  async publish(topic: string, message: TriggerMessage): Promise<string> {
    return this.topic(topic).publishMessage({
      json: message,
      attributes: {
        [IDEMPOTENCY_KEY_ATTRIBUTE]: message.idempotency_key,
        game_date: message.game_date,
        trigger_reason: message.trigger_reason,
        triggered_by: message.triggered_by,
        correlation_id: message.correlation_id,
      },
    });
  }

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = this.pubsub.topic(name, {
        batching: { maxMessages: 1, maxMilliseconds: 0 },
        // Every backoff field is given: the client replaces, not merges, retry settings,
        // and a missing multiplier would make it retry in a tight loop.
        gaxOpts: {
          retry: {
            retryCodes: PUBLISH_RETRY_CODES,
            backoffSettings: {
              initialRetryDelayMillis: 100,
              retryDelayMultiplier: 1.3,
              maxRetryDelayMillis: 5_000,
              initialRpcTimeoutMillis: 5_000,
              rpcTimeoutMultiplier: 1.0,
              maxRpcTimeoutMillis: 5_000,
              totalTimeoutMillis: this.timeoutMs,
            },
          },
        },
      });
      this.topics.set(name, topic);
    }
    return topic;
  }
}
