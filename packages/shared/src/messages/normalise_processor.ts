/** How a reported processor name was matched to an expected one. */
export type NameMatch = "exact" | "output_table" | "alias" | "camel_case" | "unknown";

/** The canonical name of a reported processor, or the reported name when it is unknown. */
export interface NormalisedName {
  processor: string;
  known: boolean;
  matchedBy: NameMatch;
}

/** Expected names and the alias table of one phase; both are configuration. */
export interface NameTable {
  expected: readonly string[];
  /** Reported name (e.g. a class name) → canonical name. */
  aliases: Readonly<Record<string, string>>;
}

const VERSION_SUFFIX = /_v\d+$/;
const PROCESSOR_SUFFIX = /Processor$/;

/**
 * Maps a reported processor name to its canonical name, in this order: exact match,
 * last segment of `output_table`, alias table, CamelCase (without `Processor`) as
 * snake_case. Each step also tries the name without a `_vN` version suffix. A name that
 * matches nothing stays as reported and is marked unknown.
 */
export function normaliseProcessorName(
  reported: string,
  outputTable: string | undefined,
  table: NameTable,
): NormalisedName {
  const expected = new Set(table.expected);
  const match = (candidate: string | undefined): string | undefined => {
    if (!candidate) return undefined;
    if (expected.has(candidate)) return candidate;
    const unversioned = candidate.replace(VERSION_SUFFIX, "");
    return expected.has(unversioned) ? unversioned : undefined;
  };

  const exact = match(reported);
  if (exact) return { processor: exact, known: true, matchedBy: "exact" };

  const fromTable = match(outputTable?.split(/[.:]/).pop());
  if (fromTable) return { processor: fromTable, known: true, matchedBy: "output_table" };

  const aliased = table.aliases[reported];
  if (aliased !== undefined && expected.has(aliased)) {
    return { processor: aliased, known: true, matchedBy: "alias" };
  }

  const snake = match(camelToSnake(reported.replace(PROCESSOR_SUFFIX, "")));
  if (snake) return { processor: snake, known: true, matchedBy: "camel_case" };

  return { processor: reported, known: false, matchedBy: "unknown" };
}

/** `PlayerGameSummary` → `player_game_summary`; already snake_case names pass unchanged. */
export function camelToSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}
