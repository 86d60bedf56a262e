import { DEFAULT_COOLDOWN_COLLECTION } from "./alert_cooldown_store";
import { DEFAULT_COOLDOWN_MINUTES } from "./storm_guard";
import { DEFAULT_ALERT_BUDGET_MS } from "./webhook_poster";

/** Alert settings read from the environment. */
export interface AlertSettings {
  enabled: boolean;
  /** Secret: never log it. Undefined when unset or blank. */
  webhookUrl: string | undefined;
  cooldownMinutes: number;
  budgetMs: number;
  cooldownCollection: string;
  projectId: string | undefined;
  region: string | undefined;
}

/** Environment variables read here, for the README and for error messages. */
export const ALERT_ENV = {
  webhookUrl: "SLACK_WEBHOOK_URL",
  enabled: "ALERTS_ENABLED",
  cooldownMinutes: "ALERT_COOLDOWN_MINUTES",
  budgetMs: "ALERT_BUDGET_MS",
  cooldownCollection: "ALERT_COOLDOWN_COLLECTION",
  projectId: "GOOGLE_CLOUD_PROJECT",
  region: "FUNCTION_REGION",
} as const;

const FALSE_WORDS = new Set(["false", "0", "no", "off"]);
const TRUE_WORDS = new Set(["true", "1", "yes", "on", ""]);

/**
 * Reads the alert settings. A bad value never stops the function (alerts must not be in the
 * way): the default is used and the problem is returned, for the caller to log once.
 * Problems never quote the webhook URL.
 */
export function readAlertSettings(env: NodeJS.ProcessEnv): {
  settings: AlertSettings;
  problems: string[];
} {
  const problems: string[] = [];
  const enabledRaw = (env[ALERT_ENV.enabled] ?? "").trim().toLowerCase();
  let enabled = true;
  if (FALSE_WORDS.has(enabledRaw)) enabled = false;
  else if (!TRUE_WORDS.has(enabledRaw)) {
    problems.push(`${ALERT_ENV.enabled}="${enabledRaw}" is not true/false; alerts stay on`);
  }
  let webhookUrl = env[ALERT_ENV.webhookUrl]?.trim() || undefined;
  if (webhookUrl && !isHttpUrl(webhookUrl)) {
    problems.push(`${ALERT_ENV.webhookUrl} is not an http(s) URL; alerts are off`);
    webhookUrl = undefined;
  }
  const number = (name: string, fallback: number, min: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (Number.isFinite(value) && value >= min) return value;
    problems.push(`${name}="${raw}" is not a number ≥ ${min}; using ${fallback}`);
    return fallback;
  };
  return {
    settings: {
      enabled,
      webhookUrl,
      cooldownMinutes: number(ALERT_ENV.cooldownMinutes, DEFAULT_COOLDOWN_MINUTES, 0),
      budgetMs: number(ALERT_ENV.budgetMs, DEFAULT_ALERT_BUDGET_MS, 1),
      cooldownCollection: env[ALERT_ENV.cooldownCollection]?.trim() || DEFAULT_COOLDOWN_COLLECTION,
      projectId: env[ALERT_ENV.projectId]?.trim() || undefined,
      region: env[ALERT_ENV.region]?.trim() || undefined,
    },
    problems,
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
