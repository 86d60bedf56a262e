import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXIT, sendTestAlert } from "../../src/cli/send_test_alert";
import { startWebhookStandIn, type WebhookStandIn } from "../../src/testing/webhook_stand_in";

const BIN = fileURLToPath(new URL("../../../../bin/send-test-alert", import.meta.url));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe("send-test-alert", () => {
  let hook: WebhookStandIn;
  beforeEach(async () => {
    hook = await startWebhookStandIn();
  });
  afterEach(() => hook.close());

  it("exits 0 when Slack accepts the test alert", async () => {
    const cli = io();
    const code = await sendTestAlert(
      ["--message", "hello"],
      { SLACK_WEBHOOK_URL: hook.url },
      cli.io,
    );
    expect(code).toBe(EXIT.accepted);
    expect(hook.posts).toHaveLength(1);
    expect(JSON.stringify(hook.posts[0]?.body)).toContain("hello");
    expect(JSON.stringify(hook.posts[0]?.body)).toContain("test_alert");
  });

  it("exits 1 without retrying when the webhook is revoked, and never prints the URL", async () => {
    hook.setDefault("no_service");
    const cli = io();
    const code = await sendTestAlert([], { SLACK_WEBHOOK_URL: hook.url }, cli.io);
    expect(code).toBe(EXIT.notAccepted);
    expect(hook.posts).toHaveLength(1);
    expect(cli.err.join("\n")).toContain("HTTP 404 no_service");
    expect([...cli.out, ...cli.err].join("\n")).not.toContain("/services/");
  });

  it("exits 1 when Slack never answers within the budget", async () => {
    hook.setDefault("hang");
    const cli = io();
    const code = await sendTestAlert(
      ["--budget-ms", "200"],
      { SLACK_WEBHOOK_URL: hook.url },
      cli.io,
    );
    expect(code).toBe(EXIT.notAccepted);
    expect(cli.err.join("\n")).toContain("budget_exhausted");
  });

  it("exits 2 when the webhook URL is unset or an option is unknown", async () => {
    expect(await sendTestAlert([], {}, io().io)).toBe(EXIT.usage);
    expect(await sendTestAlert(["--nope"], { SLACK_WEBHOOK_URL: hook.url }, io().io)).toBe(
      EXIT.usage,
    );
    expect(hook.posts).toHaveLength(0);
  });

  it("runs from bin/ with tsx and reports acceptance through its exit status", async () => {
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(
        BIN,
        [],
        { env: { PATH: process.env.PATH, SLACK_WEBHOOK_URL: hook.url }, timeout: 20_000 },
        (error, stdout) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
      );
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Slack accepted");
    expect(hook.posts).toHaveLength(1);
  });
});
