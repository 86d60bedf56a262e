/**
 * Everything the demo started, stopped in reverse order exactly once, whatever ends the
 * run: success, failure, time limit, Ctrl-C or SIGTERM.
 */
export class Resources {
  private readonly closers: { name: string; close: () => Promise<void> }[] = [];
  private closing: Promise<string[]> | null = null;

  /** Registers `close`; after `closeAll` has begun, runs it at once instead. */
  add(name: string, close: () => Promise<void>): void {
    if (this.closing) {
      void close().catch(() => {});
      return;
    }
    this.closers.push({ name, close });
  }

  /** Stops everything; resolves with one line per thing that failed to stop. */
  closeAll(): Promise<string[]> {
    this.closing ??= (async () => {
      const problems: string[] = [];
      for (const { name, close } of this.closers.reverse()) {
        try {
          await close();
        } catch (error) {
          problems.push(`could not stop ${name}: ${(error as Error).message}`);
        }
      }
      return problems;
    })();
    return this.closing;
  }
}
