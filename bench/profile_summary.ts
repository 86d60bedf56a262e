/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time per npm package (or "ours",
 * "node internals", "idle", "GC") and the hottest functions. Used to find what limits a
 * benchmark before guessing. Run: `pnpm exec tsx bench/profile_summary.ts <file.cpuprofile>`.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const TOP = 25;

/** The bucket a frame's self time is charged to. */
function bucketOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (functionName === "(idle)" || functionName === "(program)") return functionName;
  if (functionName === "(garbage collector)") return "GC";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.includes("/packages/shared/src/")) return "ours (packages/shared/src)";
  if (url.includes("/bench/")) return "bench driver";
  if (url.startsWith("node:") || url === "") return "node internals";
  return url;
}

const file = process.argv[2];
if (file === undefined) throw new Error("usage: profile_summary.ts <file.cpuprofile>");
const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const buckets = new Map<string, number>();
const functions = new Map<string, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const dt = profile.timeDeltas[i] ?? 0;
  if (node === undefined) return;
  totalUs += dt;
  const bucket = bucketOf(node.callFrame);
  buckets.set(bucket, (buckets.get(bucket) ?? 0) + dt);
  const name = `${node.callFrame.functionName || "(anonymous)"} ${bucket}:${node.callFrame.lineNumber}`;
  functions.set(name, (functions.get(name) ?? 0) + dt);
});
const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    process.stdout.write(
      `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${name}\n`,
    );
  }
};
process.stdout.write(`total ${(totalUs / 1000).toFixed(0)} ms sampled\n`);
print("self time by package", buckets);
print("hottest functions (self time)", functions);
