import type { Firestore } from "@google-cloud/firestore";
import { deliveryDocId } from "../../state/delivery_doc_id";
import type { PulledMessage } from "../pubsub_rest";
import type { DeliveryStats } from "./delivery_driver";
import type { DeliveryPlan } from "./delivery_plan";

/** The figures every scenario prints and asserts. */
export interface ScenarioFigures {
  scenario: string;
  messagesSent: number;
  /** HTTP deliveries, planned repeats and redeliveries after failures included. */
  deliveries: number;
  /** Deliveries answered 5xx or not at all, each followed by a redelivery. */
  failedDeliveries: number;
  completionsRecorded: number;
  triggersPublished: number;
  /** Deliveries the function recognised as already recorded (same message id). */
  duplicateDeliveries: number;
  /** Trigger messages beyond one per date. */
  duplicateTriggers: number;
  /** Of those, repeats of an idempotency key already published (a consumer drops them). */
  repeatedKeyTriggers: number;
  /** Dates with more than one decision (different idempotency keys): never acceptable. */
  conflictingDecisions: number;
  /** Messages never recorded + dates never triggered (or triggered but not marked). */
  losses: number;
}

/**
 * Checks the end state: every planned message has its delivery document in Firestore, every
 * date has exactly one trigger on the topic and a published trigger record.
 */
export async function checkScenario(options: {
  scenario: string;
  plan: DeliveryPlan;
  stats: DeliveryStats;
  firestore: Firestore;
  collection: string;
  triggers: PulledMessage[];
}): Promise<ScenarioFigures & { problems: string[] }> {
  const { plan, firestore, collection } = options;
  const problems: string[] = [];
  const refs = plan.messages.map((m) =>
    firestore.doc(`${collection}/${m.gameDate}/deliveries/${deliveryDocId(m.messageId)}`),
  );
  const snaps = refs.length > 0 ? await firestore.getAll(...refs) : [];
  const recorded = snaps.filter((s) => s.exists).length;
  plan.messages.forEach((m, i) => {
    if (!snaps[i]?.exists) problems.push(`completion not recorded: ${m.messageId}`);
  });
  const perDate = new Map<string, number>();
  const keysPerDate = new Map<string, Set<string>>();
  for (const t of options.triggers) {
    const body = JSON.parse(t.data.toString()) as { game_date: string; idempotency_key: string };
    perDate.set(body.game_date, (perDate.get(body.game_date) ?? 0) + 1);
    const keys = keysPerDate.get(body.game_date) ?? new Set<string>();
    keys.add(body.idempotency_key);
    keysPerDate.set(body.game_date, keys);
  }
  let conflictingDecisions = 0;
  let repeatedKeyTriggers = 0;
  for (const [date, keys] of keysPerDate) {
    conflictingDecisions += keys.size - 1;
    repeatedKeyTriggers += (perDate.get(date) ?? 0) - keys.size;
  }
  let missing = 0;
  const dateSnaps = await firestore.getAll(
    ...plan.dates.map((d) => firestore.doc(`${collection}/${d}`)),
  );
  plan.dates.forEach((date, i) => {
    if ((perDate.get(date) ?? 0) === 0) {
      missing += 1;
      problems.push(`no trigger for ${date}`);
    } else if (dateSnaps[i]?.get("trigger.published") !== true) {
      missing += 1;
      problems.push(`trigger for ${date} published but not marked published`);
    }
  });
  if (options.stats.gaveUp > 0) problems.push(`${options.stats.gaveUp} deliveries never acked`);
  const duplicateTriggers = [...perDate.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  for (const [date, count] of perDate)
    if (count > 1) problems.push(`${count} triggers for ${date}`);
  return {
    scenario: options.scenario,
    messagesSent: plan.messages.length,
    deliveries: options.stats.attempts,
    failedDeliveries: options.stats.retryable + options.stats.noAnswer,
    completionsRecorded: recorded,
    triggersPublished: options.triggers.length,
    duplicateDeliveries: options.stats.duplicateAcks,
    duplicateTriggers,
    repeatedKeyTriggers,
    conflictingDecisions,
    losses: plan.messages.length - recorded + missing + options.stats.gaveUp,
    problems,
  };
}

/** The one line a scenario prints. */
export function formatFigures(f: ScenarioFigures): string {
  return (
    `[chaos] ${f.scenario}: messages sent=${f.messagesSent} deliveries=${f.deliveries} ` +
    `(failed+redelivered=${f.failedDeliveries}) completions recorded=${f.completionsRecorded} ` +
    `triggers published=${f.triggersPublished} duplicates: deliveries=${f.duplicateDeliveries} ` +
    `triggers=${f.duplicateTriggers} (same key ${f.repeatedKeyTriggers}, conflicting ` +
    `decisions ${f.conflictingDecisions}) losses=${f.losses}`
  );
}
