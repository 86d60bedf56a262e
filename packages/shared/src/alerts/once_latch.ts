/**
 * Remembers which keys were seen, so that a problem that repeats on every alert (a revoked
 * webhook) is logged once instead of on every message.
 */
export class OnceLatch {
  private readonly seen = new Set<string>();

  /** True the first time `key` is passed, false afterwards. */
  first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}

/** The latch shared by every alerter of this process: "once per process" means this one. */
export const processLatch = new OnceLatch();
