/** Text styles; each is the identity when colour is off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

const plain = (text: string) => text;
const ansi = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;

/**
 * Colour only on an interactive terminal: CI logs and scripts that read the output get
 * plain text (a log parser must never meet an escape code). `NO_COLOR` turns it off too.
 */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  const colour = stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb";
  if (!colour) return { bold: plain, dim: plain, green: plain, red: plain, yellow: plain };
  return { bold: ansi(1), dim: ansi(2), green: ansi(32), red: ansi(31), yellow: ansi(33) };
}

/** A table cell: its text, and an optional style applied after padding. */
export type Cell = string | { text: string; style: (text: string) => string };

/** Lays out rows under headers in columns two spaces apart, indented by `indent`. */
export function renderTable(headers: string[], rows: Cell[][], indent = "  "): string[] {
  const text = (cell: Cell) => (typeof cell === "string" ? cell : cell.text);
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => text(row[i] ?? "").length)),
  );
  const line = (cells: Cell[]) =>
    indent +
    cells
      .map((cell, i) => {
        const padded = text(cell).padEnd(widths[i] ?? 0);
        return typeof cell === "string" ? padded : cell.style(padded);
      })
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}
