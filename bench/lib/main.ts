import { pathToFileURL } from "node:url";
import { type BenchEnv, startBenchEnv } from "./bench_env";
import { type BenchSection, printSection, writeResults } from "./report";

/**
 * Runs a benchmark module when it is the script node was started with: starts its own
 * emulators, prints the table, writes its section of RESULTS.md and exits non-zero when a
 * correctness check failed. Imported by run_all, it does nothing.
 */
export async function mainOf(
  moduleUrl: string,
  name: string,
  run: (env: BenchEnv) => Promise<BenchSection>,
): Promise<void> {
  const entry = process.argv[1];
  if (entry === undefined || pathToFileURL(entry).href !== moduleUrl) return;
  const startedAt = new Date();
  const env = await startBenchEnv();
  let failed = false;
  try {
    const section = await run(env);
    printSection(section);
    writeResults([section], `pnpm exec tsx bench/${name}.ts`, startedAt);
    failed = section.failures.length > 0;
  } catch (error) {
    process.stderr.write(`benchmark ${name} failed: ${(error as Error).stack ?? error}\n`);
    failed = true;
  } finally {
    await env.stop();
  }
  // Clients may keep sockets open for a while; the figures are written, so leave now.
  process.exit(failed ? 1 : 0);
}
