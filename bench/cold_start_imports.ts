/**
 * Where cold start goes: the bare function again, each time with some of the bundle's npm
 * imports added at top level, started the same way. The difference to the bare function
 * is what those imports cost before the first request can be answered; it is the saving
 * a lazy import (`await import()` on first use) of the same packages would give /health.
 */
import { readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchTempDir, progress } from "./lib/bench_env";
import { BARE_ENTRY_POINT, type StartableFunction } from "./lib/bundles";
import { firstOk, startFunction } from "./lib/function_process";
import { markdownTable } from "./lib/report";
import { fixed, median } from "./lib/stats";

const RUNS = 7;

/** An import set: loaded at top level, and (optionally) loaded lazily in the background. */
type Variant = [label: string, topLevel: string[], background?: string[]];

/** Import sets to try, from none to every external import of the bundle. */
function variants(all: string[]): Variant[] {
  const without = (name: string) => all.filter((d) => d !== name);
  return [
    ["bare (no imports)", []],
    ["+ zod", ["zod"]],
    ["+ @google-cloud/firestore", ["@google-cloud/firestore"]],
    ["+ @google-cloud/pubsub", ["@google-cloud/pubsub"]],
    ["+ firestore + pubsub", ["@google-cloud/firestore", "@google-cloud/pubsub"]],
    ["+ axios", ["axios"]],
    ["+ @google-cloud/bigquery", ["@google-cloud/bigquery"]],
    ["+ every external import of the bundle", all],
    ["+ every external import but axios", without("axios")],
    ["+ every external import but bigquery", without("@google-cloud/bigquery")],
    // What a lazy design would see: only zod (configuration) before listening, the clients
    // loaded by `await import()` started at load and not awaited by /health.
    ["zod at top level, every other import started lazily at load", ["zod"], without("zod")],
  ];
}

/** A bare function that imports `packages` first, sharing `bundle`'s installed modules. */
function variantOf(
  bundle: StartableFunction,
  packages: string[],
  background: string[] = [],
): StartableFunction {
  const dir = benchTempDir("imports");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  const imports = [
    ...packages.map((p, i) => `import * as m${i} from "${p}";\nvoid m${i};`),
    ...background.map((p) => `void import("${p}");`),
  ].join("\n");
  writeFileSync(
    join(dir, "index.js"),
    `${imports}\nimport { http } from "@google-cloud/functions-framework";\nhttp("${BARE_ENTRY_POINT}", (_req, res) => res.status(200).send("ok"));\n`,
  );
  symlinkSync(realpathSync(join(bundle.dir, "node_modules")), join(dir, "node_modules"), "dir");
  return { name: packages.join(", "), dir, entryPoint: BARE_ENTRY_POINT };
}

/** Measures time to /health for each import set; returns a markdown table. */
export async function runImportAblation(bundle: StartableFunction): Promise<string> {
  const pkg = JSON.parse(readFileSync(join(bundle.dir, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  // The DuckDB backup is loaded only on demand, so it is not a start-up import.
  const external = Object.keys(pkg.dependencies).filter(
    (d) => d !== "@google-cloud/functions-framework" && d !== "@duckdb/node-api",
  );
  const cases = variants(external).map(([label, packages, background]) => ({
    label,
    fn: variantOf(bundle, packages, background),
    healthMs: [] as number[],
  }));
  for (let run = 0; run < RUNS; run++) {
    progress(`cold start imports: run ${run + 1}/${RUNS}`);
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(run + k) % cases.length] as (typeof cases)[number];
      const proc = await startFunction(c.fn, { GOOGLE_CLOUD_PROJECT: "bench-imports" });
      try {
        c.healthMs.push(await firstOk(proc, "/health"));
      } finally {
        await proc.stop();
      }
    }
  }
  const bare = median(cases[0]?.healthMs ?? []);
  const rows = cases.map((c) => [
    c.label,
    fixed(median(c.healthMs)),
    fixed(median(c.healthMs) - bare),
  ]);
  return markdownTable(["function imports", "to /health ms (median)", "added ms"], rows);
}
