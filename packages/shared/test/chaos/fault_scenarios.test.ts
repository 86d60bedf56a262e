import { afterAll, beforeAll, expect, it } from "vitest";
import { TRANSITIONS } from "../../src/config/transition_defaults";
import { ChaosBench } from "../../src/testing/chaos/chaos_bench";
import { dateRange, planDeliveries } from "../../src/testing/chaos/delivery_plan";
import { describeWithEmulators } from "../../src/testing/emulator_suite";

const FUNCTION = "phase4-to-phase5";
const PROCESSORS = TRANSITIONS[FUNCTION].expectedProcessors;
/** Each scenario runs on its own dates, so one bench serves them all. */
const DATES_PER_SCENARIO = 6;
let nextFirstDate = 0;
function scenarioDates(count = DATES_PER_SCENARIO): string[] {
  const first = new Date(Date.UTC(2026, 0, 1) + nextFirstDate * 86_400_000);
  nextFirstDate += count;
  return dateRange(first.toISOString().slice(0, 10), count);
}

function expectNoLossNoDuplicate(figures: {
  losses: number;
  duplicateTriggers: number;
  problems: string[];
}): void {
  expect(figures.problems).toEqual([]);
  expect(figures.losses).toBe(0);
  expect(figures.duplicateTriggers).toBe(0);
}

describeWithEmulators("fault scenarios across three function processes", () => {
  let bench: ChaosBench;
  beforeAll(async () => {
    bench = await ChaosBench.start(FUNCTION, 3);
  }, 120_000);
  afterAll(async () => {
    await bench?.close();
  }, 60_000);

  it("records every message and triggers each date once when each is delivered 1-10 times, shuffled", async () => {
    const plan = planDeliveries({
      scenario: "shuffled",
      dates: scenarioDates(),
      processors: PROCESSORS,
      seed: 1,
      minCopies: 1,
      maxCopies: 10,
    });
    const driver = bench.driver();
    await driver.run(plan);
    const figures = await bench.finish(
      "each message 1-10 times, shuffled, 3 instances",
      plan,
      driver,
    );
    expectNoLossNoDuplicate(figures);
    expect(figures.duplicateDeliveries).toBe(plan.deliveries.length - plan.messages.length);
  }, 90_000);
});
