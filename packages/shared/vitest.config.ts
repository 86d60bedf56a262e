import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The JSON report feeds the one-line total that `bin/test_summary.mjs` prints.
    reporters: ["default", ["json", { outputFile: "test-artifacts/vitest-results.json" }]],
    globalSetup: ["./src/testing/global_setup.ts"],
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Never probe the GCE metadata server: everything here runs on loopback only.
    env: { METADATA_SERVER_DETECTION: "none", GOOGLE_CLOUD_PROJECT: "orchestrator-local" },
  },
});
