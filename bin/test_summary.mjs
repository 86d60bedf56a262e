#!/usr/bin/env node
// Prints one line with the totals of every package's vitest run, read from the JSON
// reports the vitest configs write, so that a reader (or CI) sees at a glance how many
// tests ran. Exits 1 when a report is missing or any test failed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const packages = [
  "packages/shared",
  "functions/phase2-to-phase3",
  "functions/phase3-to-phase4",
  "functions/phase4-to-phase5",
  "demo",
];

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const dir of packages) {
  const file = join(root, dir, "test-artifacts", "vitest-results.json");
  if (!existsSync(file)) {
    missing.push(dir);
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(
    `  ${dir}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ` +
      `${report.numPendingTests + report.numTodoTests} skipped`,
  );
}
if (missing.length > 0) console.log(`  no test report from: ${missing.join(", ")}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
