import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One phase's completion messages, as its processors publish them, in file order. */
export interface PhaseFixture {
  path: string;
  /** Each line's raw text: published byte for byte, as the processor would. */
  lines: string[];
}

/** The fixture file of `sourcePhase` (e.g. `phase2`) for `gameDate` in `dir`. */
export function fixturePath(dir: string, gameDate: string, sourcePhase: string): string {
  return join(dir, `day-${gameDate}-${sourcePhase}.jsonl`);
}

/**
 * Reads one fixture file. Blank lines are skipped; a missing file or an empty one is an
 * error that names the file and the flag that changes the folder.
 */
export function readFixture(path: string): PhaseFixture {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `cannot read fixture ${path} (${reason}); pass --fixtures DIR to use another folder`,
    );
  }
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (lines.length === 0) throw new Error(`fixture ${path} has no messages`);
  return { path, lines };
}

/** A short label for a fixture line: its processor name and status, or `?` when unreadable. */
export function describeLine(line: string): string {
  try {
    const message = JSON.parse(line) as { processor_name?: unknown; status?: unknown };
    const name = typeof message.processor_name === "string" ? message.processor_name : "?";
    const status = typeof message.status === "string" ? message.status : "success";
    return `${name} (${status})`;
  } catch {
    return "(not JSON)";
  }
}
