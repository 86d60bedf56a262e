import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { AlertInput } from "../alerts/alert";
import { readAlertSettings } from "../alerts/alert_settings";
import { buildSlackPayload } from "../alerts/slack_blocks";
import { WebhookPoster } from "../alerts/webhook_poster";
import { systemClock } from "../clock";

/** Exit codes: Slack accepted the alert, refused or could not be reached, or bad usage/config. */
export const EXIT = { accepted: 0, notAccepted: 1, usage: 2 } as const;

/** A budget long enough for a person waiting at a terminal, short enough to notice a hang. */
const DEFAULT_CLI_BUDGET_MS = 10_000;

const HELP = `Usage: bin/send-test-alert [--message TEXT] [--function NAME] [--budget-ms N]

Sends one "test_alert" to the Slack webhook in SLACK_WEBHOOK_URL, for the monthly check
that alerts still reach the channel. The cooldown is not consulted: it always sends.

Options:
  --message TEXT   text of the alert (default: a note saying it is a test)
  --function NAME  function name shown in the alert (default: send-test-alert)
  --budget-ms N    give up after N ms, retries included (default: ${DEFAULT_CLI_BUDGET_MS})
  -h, --help       show this help

Environment:
  SLACK_WEBHOOK_URL     the incoming webhook (required; never printed)
  GOOGLE_CLOUD_PROJECT  project id, for the logs link in the alert (optional)
  FUNCTION_REGION       region, for the logs link (optional)

Exit status: 0 Slack accepted the alert; 1 Slack refused it or could not be reached;
2 bad usage or SLACK_WEBHOOK_URL unset or not a URL.`;

/** Output streams, injected so that tests can read what a person would see. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Runs the command; returns the exit code. Never prints the webhook URL. */
export async function sendTestAlert(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  let values: { message?: string; function?: string; "budget-ms"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        message: { type: "string" },
        function: { type: "string" },
        "budget-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    io.err(`send-test-alert: ${(error as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  if (values.help) {
    io.out(HELP);
    return EXIT.accepted;
  }
  const budgetMs = Number(values["budget-ms"] ?? DEFAULT_CLI_BUDGET_MS);
  if (!Number.isFinite(budgetMs) || budgetMs <= 0) {
    io.err("send-test-alert: --budget-ms must be a positive number");
    return EXIT.usage;
  }
  const { settings, problems } = readAlertSettings(env);
  for (const problem of problems) io.err(`send-test-alert: ${problem}`);
  if (!settings.webhookUrl) {
    io.err("send-test-alert: SLACK_WEBHOOK_URL is not set (or not a URL); nothing sent");
    return EXIT.usage;
  }
  const now = systemClock.now();
  const alert: AlertInput = {
    kind: "test_alert",
    severity: "info",
    title: "test alert: the webhook works",
    message:
      values.message ??
      `Monthly check of the alert webhook, sent at ${now.toISOString()}. Nothing to do.`,
    functionName: values.function ?? "send-test-alert",
    transition: "Alerting",
  };
  const payload = buildSlackPayload(alert, {
    clock: systemClock,
    projectId: settings.projectId,
    region: settings.region,
  });
  const outcome = await new WebhookPoster({ webhookUrl: settings.webhookUrl, budgetMs }).post(
    payload,
  );
  if (outcome.delivered) {
    io.out(`send-test-alert: Slack accepted the test alert (attempts: ${outcome.attempts})`);
    return EXIT.accepted;
  }
  const detail = [
    outcome.status !== undefined ? `HTTP ${outcome.status}` : undefined,
    outcome.slackError,
    outcome.networkError,
  ].filter(Boolean);
  io.err(
    `send-test-alert: NOT accepted: ${outcome.reason} (${detail.join(" ") || "no answer"}) ` +
      `after ${outcome.attempts} attempt(s)`,
  );
  if (outcome.reason === "rejected") {
    io.err(
      "send-test-alert: the webhook is misconfigured; check SLACK_WEBHOOK_URL in Secret Manager",
    );
  }
  return EXIT.notAccepted;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  const code = await sendTestAlert(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exitCode = code;
}
