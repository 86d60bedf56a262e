import { describe, expect, it } from "vitest";
import { cloudLoggingLink } from "../../src/alerts/cloud_logging_link";
import {
  buildSlackPayload,
  CUT_MARKER,
  MESSAGE_MAX_CHARS,
  SEVERITY_COLOURS,
  STACK_MAX_CHARS,
} from "../../src/alerts/slack_blocks";
import { ManualClock } from "../../src/clock";
import { dualWriteAlert } from "./fixtures";

const clock = new ManualClock("2025-01-15T06:07:08.000Z");
const where = { projectId: "nba-props", region: "us-west2", clock };

function allText(value: unknown): string {
  return JSON.stringify(value);
}

function detailTexts(payload: ReturnType<typeof buildSlackPayload>): string[] {
  const blocks = payload.attachments[0]?.blocks ?? [];
  return blocks.flatMap((b) => {
    const block = b as {
      text?: { text: string };
      fields?: { text: string }[];
      elements?: { text: string }[];
    };
    return [
      block.text?.text,
      ...(block.fields ?? []).map((f) => f.text),
      ...(block.elements ?? []).map((e) => e.text),
    ].filter((t): t is string => typeof t === "string");
  });
}

describe("buildSlackPayload", () => {
  it("puts the transition and title in a plain-text header block", () => {
    const payload = buildSlackPayload(dualWriteAlert(), where);
    expect(payload.blocks).toEqual([
      {
        type: "header",
        text: {
          type: "plain_text",
          text: "🔴 Phase 3 → Phase 4: completion not recorded: both stores failed",
          emoji: true,
        },
      },
    ]);
  });

  it("shows function, game date, error type, correlation id, message id and UTC time", () => {
    const texts = detailTexts(buildSlackPayload(dualWriteAlert(), where)).join("\n");
    expect(texts).toContain("*Function*\nphase3-to-phase4");
    expect(texts).toContain("*Game date*\n2025-01-14");
    expect(texts).toContain("*Error type*\nDualWriteFailureError");
    expect(texts).toContain("*Correlation id*\ncorr-123");
    expect(texts).toContain("*Pub/Sub message id*\n9876543210");
    expect(texts).toContain("2025-01-15T06:07:08.000Z UTC");
  });

  it("colours the attachment by severity", () => {
    for (const severity of ["error", "warning", "timeout", "info"] as const) {
      const payload = buildSlackPayload(dualWriteAlert({ severity }), where);
      expect(payload.attachments[0]?.color).toBe(SEVERITY_COLOURS[severity]);
    }
    expect(new Set(Object.values(SEVERITY_COLOURS)).size).toBe(4);
  });

  it("cuts the message to 500 characters and the stack to 2,000, marking each cut", () => {
    const payload = buildSlackPayload(
      dualWriteAlert({ message: "m".repeat(5_000), stack: "s".repeat(10_000) }),
      where,
    );
    const texts = detailTexts(payload);
    const message = texts.find((t) => t.startsWith("m")) ?? "";
    expect(message.length).toBe(MESSAGE_MAX_CHARS);
    expect(message.endsWith(CUT_MARKER)).toBe(true);
    const stack = texts.find((t) => t.startsWith("```")) ?? "";
    expect(stack.length).toBe(STACK_MAX_CHARS + 6);
    expect(stack.endsWith(`${CUT_MARKER}\`\`\``)).toBe(true);
  });

  it("leaves short text uncut and escapes Slack markup characters", () => {
    const payload = buildSlackPayload(dualWriteAlert({ message: "a <b> & c" }), where);
    const texts = detailTexts(payload);
    expect(texts).toContain("a &lt;b&gt; &amp; c");
    expect(allText(payload)).not.toContain(CUT_MARKER);
  });

  it("links to the function's logs, narrowed to the correlation id", () => {
    const link = cloudLoggingLink(where, "phase3-to-phase4", "corr-123") ?? "";
    expect(link.startsWith("https://console.cloud.google.com/logs/query;query=")).toBe(true);
    expect(link.endsWith("?project=nba-props")).toBe(true);
    const query = decodeURIComponent(link.split(";query=")[1]?.split("?")[0] ?? "");
    expect(query).toContain('resource.labels.function_name="phase3-to-phase4"');
    expect(query).toContain('resource.labels.service_name="phase3-to-phase4"');
    expect(query).toContain('resource.labels.location="us-west2"');
    expect(query).toContain('jsonPayload.correlationId="corr-123"');
    expect(detailTexts(buildSlackPayload(dualWriteAlert(), where)).join()).toContain(`<${link}|`);
  });

  it("says there is no logs link when the project id is unknown", () => {
    const payload = buildSlackPayload(dualWriteAlert(), { clock });
    expect(allText(payload)).not.toContain("console.cloud.google.com");
    expect(allText(payload)).toContain("no logs link");
  });

  it("reports how many identical alerts were suppressed, in blocks and fallback text", () => {
    const payload = buildSlackPayload(dualWriteAlert(), {
      ...where,
      suppressed: { count: 199, sinceIso: "2025-01-15T05:50:00.000Z" },
    });
    expect(detailTexts(payload).join()).toContain(
      "199 identical alert(s) suppressed since 2025-01-15T05:50:00.000Z",
    );
    expect(payload.text).toContain("199 suppressed");
  });

  it("has a plain-text fallback naming severity, transition, function and date", () => {
    const payload = buildSlackPayload(dualWriteAlert(), where);
    expect(payload.text).toBe(
      "[ERROR] Phase 3 → Phase 4: completion not recorded: both stores failed · function phase3-to-phase4 · game date 2025-01-14",
    );
  });

  it("keeps the header within Slack's 150-character limit", () => {
    const payload = buildSlackPayload(dualWriteAlert({ title: "x".repeat(400) }), where);
    const header = payload.blocks[0] as { text: { text: string } };
    expect(Array.from(header.text.text).length).toBeLessThanOrEqual(150);
  });
});
