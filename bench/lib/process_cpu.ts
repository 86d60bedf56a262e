import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux we run on. */
const CLOCK_TICKS_PER_SECOND = 100;
const MS_PER_SECOND = 1000;

/**
 * CPU time (user + system, ms) used so far by every process in process group `pgid`: the
 * emulator's wrapper script and its JVM. Read from /proc, so it costs the emulator nothing.
 */
export function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // the process ended while we looked
    }
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks / CLOCK_TICKS_PER_SECOND) * MS_PER_SECOND;
}

/** CPU time (user + system, ms) of this process so far. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
