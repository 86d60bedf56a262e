import { datesBetween, isGameDate } from "../messages/game_date";

/** Longest range `/status` and the CLI read at once, in days (two months of games). */
export const MAX_RANGE_DAYS = 62;

/** A validated, inclusive range of game dates. */
export interface DateRange {
  from: string;
  to: string;
  dates: string[];
}

/** Why a range was refused, in words for the caller. */
export class DateRangeError extends RangeError {
  readonly code = "invalid_date_range";
}

/** Checks `from` and `to` (both `YYYY-MM-DD`, from ≤ to, at most `maxDays`) and lists the dates. */
export function parseDateRange(from: string, to: string, maxDays = MAX_RANGE_DAYS): DateRange {
  if (!isGameDate(from)) throw new DateRangeError(`from must be YYYY-MM-DD, got "${from}"`);
  if (!isGameDate(to)) throw new DateRangeError(`to must be YYYY-MM-DD, got "${to}"`);
  if (from > to) throw new DateRangeError(`from (${from}) is after to (${to})`);
  const dates = datesBetween(from, to);
  if (dates.length > maxDays) {
    throw new DateRangeError(`range has ${dates.length} days; at most ${maxDays} are allowed`);
  }
  return { from, to, dates };
}

/** Parses `DATE` or `FROM..TO` as the CLI takes it. */
export function parseDateOrRange(text: string, maxDays = MAX_RANGE_DAYS): DateRange {
  const [from, to, extra] = text.split("..");
  if (extra !== undefined || from === undefined) {
    throw new DateRangeError(`expected DATE or FROM..TO, got "${text}"`);
  }
  return parseDateRange(from, to ?? from, maxDays);
}
