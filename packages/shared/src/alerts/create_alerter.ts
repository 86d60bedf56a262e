import { Firestore } from "@google-cloud/firestore";
import { type Clock, systemClock } from "../clock";
import type { Logger } from "../logging/logger";
import { type Alerter, silentAlerter } from "./alert";
import { FirestoreCooldownStore } from "./alert_cooldown_store";
import { readAlertSettings } from "./alert_settings";
import type { AlertTimers } from "./alert_timers";
import { SlackAlerter } from "./slack_alerter";
import { StormGuard } from "./storm_guard";
import { WebhookPoster } from "./webhook_poster";

/** The share of the alert budget the shared cooldown check may use before deciding alone. */
const STORE_SHARE_OF_BUDGET = 1 / 3;
const MAX_STORE_TIMEOUT_MS = 1_000;

/** What the factory needs besides the environment; all optional. */
export interface CreateAlerterOptions {
  env?: NodeJS.ProcessEnv;
  /** Gets the start-up warnings and the once-only delivery problems. */
  logger?: Logger;
  /** The function's own Firestore client, reused for the cooldown documents. */
  firestore?: Firestore;
  clock?: Clock;
  timers?: AlertTimers;
}

/**
 * Builds the alerter from the environment, once at start-up. Alerts switched off
 * (`ALERTS_ENABLED=false`) or no webhook URL → the silent alerter, the latter with one
 * warning. The returned logger-facing lines never contain the webhook URL.
 */
export function createAlerter(options: CreateAlerterOptions = {}): Alerter {
  const { settings, problems } = readAlertSettings(options.env ?? process.env);
  const logger = options.logger?.withSecrets([settings.webhookUrl]);
  for (const problem of problems) logger?.warn("alert_settings_invalid", problem);
  if (!settings.enabled) {
    logger?.info("alerts_disabled", "alerts are switched off (ALERTS_ENABLED=false)");
    return silentAlerter;
  }
  if (!settings.webhookUrl) {
    logger?.warn(
      "alert_webhook_missing",
      "SLACK_WEBHOOK_URL is not set: alerts will not be sent (failures are only logged)",
    );
    return silentAlerter;
  }
  const clock = options.clock ?? systemClock;
  const firestore =
    options.firestore ?? new Firestore(settings.projectId ? { projectId: settings.projectId } : {});
  const guard = new StormGuard({
    store: new FirestoreCooldownStore(firestore, settings.cooldownCollection),
    cooldownMinutes: settings.cooldownMinutes,
    storeTimeoutMs: Math.min(MAX_STORE_TIMEOUT_MS, settings.budgetMs * STORE_SHARE_OF_BUDGET),
    clock,
    ...(options.timers ? { timers: options.timers } : {}),
  });
  const poster = new WebhookPoster({
    webhookUrl: settings.webhookUrl,
    budgetMs: settings.budgetMs,
    clock,
    ...(options.timers ? { timers: options.timers } : {}),
    ...(logger ? { logger } : {}),
  });
  return new SlackAlerter({
    poster,
    guard,
    location: { projectId: settings.projectId, region: settings.region },
    budgetMs: settings.budgetMs,
    clock,
    ...(logger ? { logger } : {}),
  });
}
