import type { GateSpec } from "./gate_config";

/** What one gate found for a date. */
export interface GateCheck {
  spec: GateSpec;
  /** Rows found, or null when the count could not be read. */
  rows: number | null;
  met: boolean;
  /** Why the count could not be read, when it could not. */
  error?: string;
}

/** The gates of a date together: blocked when any blocking gate is not met. */
export interface GateReport {
  blocked: boolean;
  checks: GateCheck[];
}

/**
 * Checked just before a trigger is claimed. A blocked report means "not yet": nothing is
 * claimed, so the next delivery or sweep asks again.
 */
export interface ReadinessGate {
  check(gameDate: string): Promise<GateReport>;
}

/** The default: no gates, never blocked. */
export const noGates: ReadinessGate = {
  check: async () => ({ blocked: false, checks: [] }),
};

/** Combines per-gate results into one report. */
export function gateReport(checks: GateCheck[]): GateReport {
  return { blocked: checks.some((c) => c.spec.mode === "blocking" && !c.met), checks };
}

/** One line per unmet gate, for alerts and logs. */
export function describeUnmet(checks: readonly GateCheck[]): string {
  return checks
    .filter((c) => !c.met)
    .map(
      (c) =>
        `${c.spec.table} (${c.spec.mode}): ` +
        (c.rows === null
          ? `unreadable: ${c.error ?? "unknown error"}`
          : `${c.rows} of ${c.spec.minRows} rows`),
    )
    .join("; ");
}
