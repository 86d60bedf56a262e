import type { DeliveryPlan, PlannedMessage } from "./delivery_plan";
import { seededRandom } from "./delivery_plan";

/** What the driver did; the scenario's printed line starts from these. */
export interface DeliveryStats {
  /** HTTP attempts, first tries and redeliveries together. */
  attempts: number;
  /** Deliveries that ended in 2xx. */
  acked: number;
  /** Attempts answered with a 5xx. */
  retryable: number;
  /** Attempts that got no answer (refused, reset, or past the ack deadline). */
  noAnswer: number;
  /** Acks whose body said the message id was seen before. */
  duplicateAcks: number;
  /** Other status codes (4xx), which Pub/Sub would not redeliver: must stay 0 here. */
  refused: number;
  /** Deliveries still not acknowledged after every attempt (a loss if above 0). */
  gaveUp: number;
}

/** Where and how to deliver. */
export interface DriverOptions {
  /** Base URLs of the instances, read at each attempt (instances come and go). */
  targets: () => string[];
  /** Concurrent deliveries in flight, as Pub/Sub pushes in parallel. */
  concurrency: number;
  /** Per-attempt limit, like the subscription's ack deadline. */
  ackDeadlineMs: number;
  /** Wait before a redelivery, like the subscription's minimum retry delay. */
  retryDelayMs: number;
  /** Attempts per delivery before giving up; bounds the scenario. */
  maxAttempts: number;
  seed: number;
}

/**
 * Plays a delivery plan against the instances as a Pub/Sub push subscription would: each
 * delivery goes to a random instance and is redelivered (after `retryDelayMs`) until an
 * instance answers 2xx. `progress()` lets a scenario inject a fault mid-burst.
 */
export class DeliveryDriver {
  readonly stats: DeliveryStats = {
    attempts: 0,
    acked: 0,
    retryable: 0,
    noAnswer: 0,
    duplicateAcks: 0,
    refused: 0,
    gaveUp: 0,
  };
  private readonly random: () => number;
  private readonly waiters: { acked: number; resolve: () => void }[] = [];

  constructor(private readonly options: DriverOptions) {
    this.random = seededRandom(options.seed);
  }

  /** Delivers the whole plan; resolves when every delivery was acknowledged or given up. */
  async run(plan: DeliveryPlan): Promise<DeliveryStats> {
    let next = 0;
    const worker = async () => {
      while (next < plan.deliveries.length) {
        const index = plan.deliveries[next++] as number;
        await this.deliver(plan.messages[index] as PlannedMessage);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, worker));
    return this.stats;
  }

  /** Resolves once `count` deliveries have been acknowledged. */
  acknowledged(count: number): Promise<void> {
    if (this.stats.acked >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ acked: count, resolve }));
  }

  private async deliver(message: PlannedMessage): Promise<void> {
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt += 1) {
      this.stats.attempts += 1;
      const outcome = await this.attempt(message);
      if (outcome === "ok" || outcome === "refused") {
        this.stats.acked += outcome === "ok" ? 1 : 0;
        this.wake();
        return;
      }
      await new Promise((r) => setTimeout(r, this.options.retryDelayMs));
    }
    this.stats.gaveUp += 1;
  }

  private async attempt(message: PlannedMessage): Promise<"ok" | "retry" | "refused"> {
    const targets = this.options.targets();
    const target = targets[Math.floor(this.random() * targets.length)];
    const body = {
      message: {
        data: message.data,
        messageId: message.messageId,
        publishTime: new Date().toISOString(),
        attributes: {},
      },
      subscription: "projects/chaos/subscriptions/completions-push",
    };
    try {
      const response = await fetch(`${target}/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.ackDeadlineMs),
      });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) {
        if (text.includes('"duplicate":true')) this.stats.duplicateAcks += 1;
        return "ok";
      }
      if (response.status >= 500) {
        this.stats.retryable += 1;
        return "retry";
      }
      this.stats.refused += 1;
      return "refused";
    } catch {
      this.stats.noAnswer += 1;
      return "retry";
    }
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (this.stats.acked >= waiter.acked) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
