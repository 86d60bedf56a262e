/** Cloud Logging severities used by this product. */
export type Severity = "DEBUG" | "INFO" | "NOTICE" | "WARNING" | "ERROR" | "CRITICAL";

/** Context carried on every line: who logged, for which date and message. */
export interface LogContext {
  function?: string;
  gameDate?: string;
  correlationId?: string;
  messageId?: string;
  [key: string]: unknown;
}

/** Where finished log lines go; stdout in production, an array in tests. */
export type LogSink = (line: string) => void;

const REDACTED = "[redacted]";

/**
 * Writes one JSON line per event, in the shape Cloud Logging parses from stdout:
 * `severity` and `message` are promoted, every other key lands in `jsonPayload`.
 * Each line has a stable `event` name so that log-based metrics can count it.
 */
export class Logger {
  constructor(
    private readonly sink: LogSink = (line) => process.stdout.write(`${line}\n`),
    private readonly context: LogContext = {},
    private readonly secrets: readonly string[] = [],
  ) {}

  /** A logger whose lines also carry `extra`. */
  child(extra: LogContext): Logger {
    return new Logger(this.sink, { ...this.context, ...extra }, this.secrets);
  }

  /** A logger that replaces each of `secrets` with a marker wherever it would appear. */
  withSecrets(secrets: readonly (string | undefined)[]): Logger {
    const kept = secrets.filter((s): s is string => typeof s === "string" && s.length > 0);
    return new Logger(this.sink, this.context, [...this.secrets, ...kept]);
  }

  debug(event: string, message: string, fields?: Record<string, unknown>): void {
    this.write("DEBUG", event, message, fields);
  }

  info(event: string, message: string, fields?: Record<string, unknown>): void {
    this.write("INFO", event, message, fields);
  }

  warn(event: string, message: string, fields?: Record<string, unknown>): void {
    this.write("WARNING", event, message, fields);
  }

  error(event: string, message: string, fields?: Record<string, unknown>): void {
    this.write("ERROR", event, message, fields);
  }

  critical(event: string, message: string, fields?: Record<string, unknown>): void {
    this.write("CRITICAL", event, message, fields);
  }

  /** Removes every configured secret from `text`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  private write(
    severity: Severity,
    event: string,
    message: string,
    fields?: Record<string, unknown>,
  ): void {
    const entry = {
      severity,
      message,
      event,
      ...this.context,
      ...fields,
      time: new Date().toISOString(),
    };
    this.sink(this.redact(JSON.stringify(entry, errorReplacer)));
  }
}

/** Errors are not enumerable; this keeps their name, message, code and stack in JSON. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const withCode = value as Error & { code?: unknown; retryable?: unknown };
    return {
      name: value.name,
      message: value.message,
      code: withCode.code,
      retryable: withCode.retryable,
      stack: value.stack,
    };
  }
  return value;
}

/** A logger that collects lines in memory, for tests that assert on what was logged. */
export function memoryLogger(context: LogContext = {}): {
  logger: Logger;
  lines: string[];
  entries: () => Record<string, unknown>[];
} {
  const lines: string[] = [];
  const logger = new Logger((line) => lines.push(line), context);
  return {
    logger,
    lines,
    entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
