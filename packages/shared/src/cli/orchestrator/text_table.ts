/** One column of a terminal table. */
export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Wraps the padded cell, e.g. in a colour; must not change its visible width. */
  decorate?: (text: string, row: T) => string;
}

/** Rows as a plain aligned table, one line each, no borders: easy to read and to grep. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((r) => (r[i] as string).length)),
  );
  const line = (values: string[], row?: T) =>
    values
      .map((v, i) => {
        const padded = i === values.length - 1 ? v : v.padEnd(widths[i] as number);
        const decorate = columns[i]?.decorate;
        return row !== undefined && decorate ? decorate(padded, row) : padded;
      })
      .join("  ")
      .trimEnd();
  const header = line(columns.map((c) => c.header.toUpperCase()));
  return `${[header, ...cells.map((values, r) => line(values, rows[r]))].join("\n")}\n`;
}

const ANSI: Record<string, string> = {
  red: "\u001b[31m",
  green: "\u001b[32m",
  yellow: "\u001b[33m",
  blue: "\u001b[34m",
  magenta: "\u001b[35m",
  grey: "\u001b[90m",
};

/**
 * Colours text only on a terminal and only without NO_COLOR: output that a script or a
 * workflow parses must never carry escape codes.
 */
export function colourer(enabled: boolean): (text: string, colour: string) => string {
  return (text, colour) =>
    enabled && ANSI[colour] !== undefined ? `${ANSI[colour]}${text}\u001b[0m` : text;
}
