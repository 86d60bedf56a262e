import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The JSON report feeds the one-line total that `bin/test_summary.mjs` prints.
    reporters: ["default", ["json", { outputFile: "test-artifacts/vitest-results.json" }]],
    include: ["test/**/*.test.ts"],
    // The demo starts its own emulators and functions; a cold machine needs the time.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // Never probe the GCE metadata server: everything here runs on loopback only.
    env: { METADATA_SERVER_DETECTION: "none", NO_COLOR: "1" },
  },
});
