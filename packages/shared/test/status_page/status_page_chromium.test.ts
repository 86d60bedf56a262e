import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { route } from "../../src/http/orchestrator_app";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type PipelineFixture, pipelineFixture } from "../cli/pipeline_fixture";
import { readJsonLines } from "../support/orchestrator_fixture";
import { describeWithChromium, openChromium } from "./chromium";

const ARTIFACTS = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "..",
  "test-artifacts",
);
const HOSTILE = `<img src=x onerror="window.__pwned=1">`;
const phase2 = (processor: string, date: string, status = "success") => ({
  processor_name: processor,
  game_date: date,
  status,
});

/** The fixture day plus dates that show every other state. */
async function playScenes(fx: PipelineFixture): Promise<void> {
  await fx.play("phase2-to-phase3", readJsonLines("day-2026-01-27-phase2.jsonl"));
  await fx.play("phase3-to-phase4", readJsonLines("day-2026-01-27-phase3.jsonl"));
  await fx.play("phase4-to-phase5", readJsonLines("day-2026-01-27-phase4.jsonl"));
  // 2026-01-26: a failed loader in phase 2; phase 3 under way.
  await fx.play("phase2-to-phase3", [
    phase2("p2_bdl_box_scores", "2026-01-26"),
    phase2("p2_odds_game_lines", "2026-01-26", "failed"),
  ]);
  // Messages cannot carry markup in a name any more (the schema refuses it), but state
  // written before that rule, or read from the backup, can: write one straight to the store.
  await fx.orchestrators["phase2-to-phase3"].state.recordCompletion({
    gameDate: "2026-01-26",
    processor: HOSTILE,
    known: false,
    reportedName: HOSTILE,
    status: "success",
    messageId: "hostile-1",
    receivedAt: fx.clock.now(),
    recordCount: 0,
  });
  await fx.play("phase3-to-phase4", [phase2("player_game_summary", "2026-01-26")]);
  // 2026-01-25: phase 4 triggered on the one-hour tier with a processor missing.
  const p4 = fx.orchestrators["phase4-to-phase5"].config.expectedProcessors;
  fx.clock.set("2026-01-28T08:00:00Z");
  await fx.play(
    "phase4-to-phase5",
    p4.slice(0, 3).map((p) => phase2(p, "2026-01-25")),
  );
  fx.clock.set("2026-01-28T09:05:00Z");
  await fx.play("phase4-to-phase5", [phase2(p4[3] as string, "2026-01-25")]);
  fx.clock.set("2026-01-28T12:00:00Z");
}

describeWithEmulators("status page", () => {
  describeWithChromium("status page in headless Chromium", () => {
    let fx: PipelineFixture;
    let html: string;
    beforeAll(async () => {
      fx = await pipelineFixture();
      await playScenes(fx);
      const path = join(ARTIFACTS, "status-page.html");
      mkdirSync(ARTIFACTS, { recursive: true });
      const run = await fx.cli("status", "2026-01-24..2026-01-27", "--html", path);
      expect(run.code).toBe(0);
      html = (await import("node:fs")).readFileSync(path, "utf8");
    });
    afterAll(async () => fx?.close());

    it("renders the grid with one coloured cell per date and phase, details on click", async () => {
      const browser = await openChromium();
      try {
        const page = await browser.context.newPage();
        await page.setContent(html, { waitUntil: "load" });
        // Runs inside Chromium; typed loosely because this package compiles without DOM types.
        const states = await page.$$eval("td.cell", (cells) =>
          cells.map((c) => {
            const cell = c as unknown as { dataset: Record<string, string> };
            const dom = globalThis as unknown as {
              getComputedStyle: (e: unknown) => { backgroundColor: string };
            };
            return [
              cell.dataset.date,
              cell.dataset.phase,
              cell.dataset.state,
              dom.getComputedStyle(c).backgroundColor,
            ];
          }),
        );
        const stateOf = (date: string, phase: string) =>
          states.find((s) => s[0] === date && s[1] === phase)?.[2];
        expect(states).toHaveLength(12);
        expect(stateOf("2026-01-27", "phase2")).toBe("triggered");
        expect(stateOf("2026-01-27", "phase3")).toBe("late_completions");
        expect(stateOf("2026-01-27", "phase4")).toBe("triggered");
        expect(stateOf("2026-01-26", "phase2")).toBe("failed");
        expect(stateOf("2026-01-26", "phase3")).toBe("in_progress");
        expect(stateOf("2026-01-26", "phase4")).toBe("not_started");
        expect(stateOf("2026-01-25", "phase4")).toBe("triggered_partial");
        const colour = (state: string) => states.find((s) => s[2] === state)?.[3];
        expect(colour("triggered")).toBe("rgb(134, 239, 172)");
        expect(colour("failed")).toBe("rgb(252, 165, 165)");
        expect(colour("late_completions")).toBe("rgb(216, 180, 254)");
        expect(colour("triggered_partial")).toBe("rgb(253, 230, 138)");
        expect(new Set(states.map((s) => s[3])).size).toBe(6);

        // Details: hidden until the cell is clicked, then completed, missing, reason, times.
        const cell = page.locator('td[data-date="2026-01-25"][data-phase="phase4"]');
        const reason = cell.locator('dd[data-fact="reason"]');
        expect(await reason.isVisible()).toBe(false);
        await cell.locator("summary").click();
        expect(await reason.textContent()).toBe("tier1_timeout");
        expect(await cell.locator('dd[data-fact="missing"]').textContent()).toBe(
          "ml_feature_store",
        );
        expect(await cell.locator('dd[data-fact="triggered at"]').textContent()).toBe(
          "2026-01-28T09:05:00.000Z",
        );
        expect(await cell.locator("tr[data-processor]").count()).toBe(4);
        expect(await cell.getAttribute("title")).toContain("missing: ml_feature_store");

        const late = page.locator('td[data-date="2026-01-27"][data-phase="phase3"]');
        await late.locator("summary").click();
        const lateRows = late.locator("tr[data-processor]", { hasText: "(late)" });
        expect(
          await lateRows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-processor"))),
        ).toEqual(["team_defense_game_summary", "upcoming_team_game_context"]);

        // A processor name from a message is text, never markup.
        const failed = page.locator('td[data-date="2026-01-26"][data-phase="phase2"]');
        await failed.locator("summary").click();
        expect(await failed.locator('dd[data-fact="unknown"]').textContent()).toBe(HOSTILE);
        expect(await page.locator("img").count()).toBe(0);
        expect(
          await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
        ).toBeUndefined();

        await page.screenshot({ path: join(ARTIFACTS, "status-page.png"), fullPage: true });
      } finally {
        await browser.close();
      }
    });

    it("serves one phase's page from the function when the client asks for HTML", async () => {
      const reply = await route(fx.orchestrators["phase3-to-phase4"], {
        method: "GET",
        path: "/status",
        query: { from: "2026-01-26", to: "2026-01-27" },
        headers: { accept: "text/html,application/xhtml+xml" },
        body: undefined,
      });
      expect(reply.contentType).toBe("text/html");
      const page = String(reply.body);
      expect(page.match(/<td class="cell/g)).toHaveLength(2);
      expect(page).toContain('data-phase="phase3"');
      expect(page).not.toContain('data-phase="phase2"');
    });
  });
});
