import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load_config";
import { ConfigurationError } from "../../src/errors";

const base = { GOOGLE_CLOUD_PROJECT: "p" };

describe("configuration", () => {
  it("resolves the defaults of an orchestrator", () => {
    const config = loadConfig("phase3-to-phase4", base);
    expect(config).toMatchObject({
      collection: "phase3_completion",
      triggerTopic: "nba-phase4-trigger",
      publishLeaseMs: 30_000,
      publishTimeoutMs: 20_000,
    });
    expect(config.expectedProcessors).toHaveLength(5);
  });

  it.each([
    ["an empty processor list", { EXPECTED_PROCESSORS: " , ," }, /EXPECTED_PROCESSORS is empty/],
    [
      "a malformed processor name",
      { EXPECTED_PROCESSORS: "a b,c/d" },
      /malformed names: a b, c\/d/,
    ],
    ["a repeated processor", { EXPECTED_PROCESSORS: "foo,foo" }, /repeats foo/],
    [
      "a critical processor that is not expected",
      {
        TRIGGER_RULE: JSON.stringify({
          modes: {
            overnight: { critical: ["player_gme_summary"] },
            same_day: {},
            tomorrow: {},
          },
        }),
      },
      /overnight names unexpected critical processors: player_gme_summary/,
    ],
    ["an alias to nowhere", { PROCESSOR_ALIASES: '{"Foo":"nowhere"}' }, /Foo→nowhere/],
    ["a lease shorter than a publish", { PUBLISH_LEASE_MS: "1000" }, /PUBLISH_LEASE_MS/],
    ["bad rule JSON", { TRIGGER_RULE: "{" }, /TRIGGER_RULE/],
  ])("refuses to start with %s", (_name, env, message) => {
    expect(() => loadConfig("phase3-to-phase4", { ...base, ...env })).toThrow(ConfigurationError);
    expect(() => loadConfig("phase3-to-phase4", { ...base, ...env })).toThrow(message);
  });

  it("refuses to start without a project", () => {
    expect(() => loadConfig("phase2-to-phase3", {})).toThrow(/GOOGLE_CLOUD_PROJECT/);
  });
});
