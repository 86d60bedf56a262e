import { defineConfig } from "vitest/config";

/**
 * The vitest configuration every deployable function package shares: the emulators of the
 * shared global setup, and the JSON report that `bin/test_summary.mjs` totals.
 */
export const functionVitestConfig = defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: "test-artifacts/vitest-results.json" }]],
    globalSetup: ["../../packages/shared/src/testing/global_setup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Never probe the GCE metadata server: everything here runs on loopback only.
    env: { METADATA_SERVER_DETECTION: "none", ALERTS_ENABLED: "false" },
  },
});
