import {
  TRANSITIONS,
  type TransitionName,
} from "../../packages/shared/src/config/transition_defaults";
import { dateRange } from "./bench_env";
import type { BenchCompletion } from "./push";

/** One delivery of a workload: the message and its Pub/Sub id. */
export interface Delivery {
  message: BenchCompletion;
  messageId: string;
}

/** First game date of every workload: in the past, so the overnight rules apply. */
export const FIRST_BENCH_DATE = "2023-10-01";

/**
 * Every expected processor of `transition` for each of `dateCount` dates, date by date:
 * the order a backfill replays them in, so that neighbouring workers touch the same date
 * now and then, as they would in production. Each date's last message is its trigger.
 */
export function dateByDateWorkload(
  transition: TransitionName,
  dateCount: number,
  tag: string,
  firstDate = FIRST_BENCH_DATE,
): Delivery[] {
  const processors = TRANSITIONS[transition].expectedProcessors;
  const out: Delivery[] = [];
  for (const gameDate of dateRange(firstDate, dateCount)) {
    for (const processor of processors) {
      out.push({
        message: { processor_name: processor, game_date: gameDate, status: "success" },
        messageId: `${tag}-${gameDate}-${processor}`,
      });
    }
  }
  return out;
}
