/** One thing that happened during the run. */
export interface TimelineEvent {
  /** Milliseconds since the demo started. */
  elapsedMs: number;
  /** Short category: `setup`, `publish`, `deliver`, `TRIGGER`, `alert`, … */
  kind: string;
  text: string;
}

const KIND_WIDTH = 9;
const ELAPSED_WIDTH = 6;

/** The run's events in order, each printed as it happens. */
export class Timeline {
  readonly events: TimelineEvent[] = [];
  private readonly startedAt = performance.now();

  constructor(
    private readonly print: (line: string) => void,
    private readonly highlight: (kind: string, line: string) => string = (_kind, line) => line,
  ) {}

  /** Milliseconds since the demo started. */
  elapsedMs(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  add(kind: string, text: string): TimelineEvent {
    const event = { elapsedMs: this.elapsedMs(), kind, text };
    this.events.push(event);
    this.print(this.highlight(kind, formatEvent(event)));
    return event;
  }
}

/** `+  1234 ms  kind       text`: fixed columns, so the log reads well in CI too. */
export function formatEvent(event: TimelineEvent): string {
  const elapsed = String(event.elapsedMs).padStart(ELAPSED_WIDTH);
  return `+${elapsed} ms  ${event.kind.padEnd(KIND_WIDTH)} ${event.text}`;
}
