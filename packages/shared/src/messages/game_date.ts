import { z } from "zod";

const GAME_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** True when `value` is `YYYY-MM-DD` and names a real calendar day. */
export function isGameDate(value: string): boolean {
  if (!GAME_DATE_PATTERN.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** A calendar date `YYYY-MM-DD`; also safe as a Firestore document id. */
export const gameDateSchema = z
  .string()
  .refine(isGameDate, { message: "game_date must be a real calendar date as YYYY-MM-DD" });

/** Building a formatter costs ten times a format; every message needs one per zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Today's calendar date in `timeZone`, as `YYYY-MM-DD`. */
export function calendarDateIn(timeZone: string, at: Date): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Every date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = new Date(`${to}T00:00:00Z`).getTime();
  for (let t = new Date(`${from}T00:00:00Z`).getTime(); t <= end; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
