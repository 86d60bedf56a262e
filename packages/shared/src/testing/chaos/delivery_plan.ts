/** A seeded generator of floats in [0, 1) (mulberry32): same seed, same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One Pub/Sub message of a scenario: what a processor published. */
export interface PlannedMessage {
  messageId: string;
  gameDate: string;
  processor: string;
  /** Base64 JSON completion, as Pub/Sub carries it. */
  data: string;
}

/** Every message of the scenario and the order of their deliveries (with repeats). */
export interface DeliveryPlan {
  messages: PlannedMessage[];
  /** Indexes into `messages`, one per delivery, shuffled. */
  deliveries: number[];
  /** Dates whose processors all report, so each must trigger exactly once. */
  dates: string[];
}

/** Consecutive dates from `first` (`YYYY-MM-DD`), `count` of them. */
export function dateRange(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}

/**
 * One completion per processor and date, each delivered between `minCopies` and
 * `maxCopies` times (the same message id, as Pub/Sub redelivers), all shuffled.
 */
export function planDeliveries(options: {
  scenario: string;
  dates: string[];
  processors: readonly string[];
  seed: number;
  minCopies?: number;
  maxCopies?: number;
}): DeliveryPlan {
  const random = seededRandom(options.seed);
  const min = options.minCopies ?? 1;
  const max = options.maxCopies ?? 1;
  const messages: PlannedMessage[] = [];
  for (const gameDate of options.dates) {
    for (const processor of options.processors) {
      const payload = {
        processor_name: processor,
        game_date: gameDate,
        status: "success",
        correlation_id: `chaos-${options.scenario}-${gameDate}`,
        record_count: 10,
      };
      messages.push({
        messageId: `${options.scenario}-${gameDate}-${processor}`,
        gameDate,
        processor,
        data: Buffer.from(JSON.stringify(payload)).toString("base64"),
      });
    }
  }
  const deliveries: number[] = [];
  messages.forEach((_, i) => {
    const copies = min + Math.floor(random() * (max - min + 1));
    for (let c = 0; c < copies; c += 1) deliveries.push(i);
  });
  for (let i = deliveries.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j] as number, deliveries[i] as number];
  }
  return { messages, deliveries, dates: [...options.dates] };
}
