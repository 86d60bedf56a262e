import type { PubSub, Topic } from "@google-cloud/pubsub";
import { IDEMPOTENCY_KEY_ATTRIBUTE, type TriggerMessage } from "../messages/trigger_message";

/** Sends a trigger to the next phase; resolves with the Pub/Sub message id. */
export interface TriggerPublisher {
  publish(topic: string, message: TriggerMessage): Promise<string>;
}

/**
 * Publishes triggers with `@google-cloud/pubsub`. Batching is off: a trigger is one
 * message and waiting to fill a batch would only delay the next phase.
 */
export class PubSubTriggerPublisher implements TriggerPublisher {
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly pubsub: PubSub) {}

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
      topic = this.pubsub.topic(name, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
      this.topics.set(name, topic);
    }
    return topic;
  }
}
