import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBigQueryClient } from "../../src/backup/bigquery_client";
import { createBackupTables } from "../../src/cli/create_bigquery_tables";
import { BigQueryStandIn } from "../../src/testing/bigquery_stand_in";

const BIN = resolve(__dirname, "../../../../bin/create-bigquery-tables");
const OPTIONS = { dataset: "nba_orchestration", location: "US", dryRun: false };

describe("create-bigquery-tables against the loopback stand-in", () => {
  let standIn: BigQueryStandIn;
  beforeAll(async () => {
    standIn = await BigQueryStandIn.start();
  });
  afterEach(() => standIn.reset());
  afterAll(() => standIn.close());

  const client = () => createBigQueryClient({ projectId: "p", apiEndpoint: standIn.url });

  it("creates the dataset and both tables with partitioning and clustering", async () => {
    const actions = await createBackupTables(client(), OPTIONS);
    expect(actions.map((a) => `${a.outcome} ${a.resource}`)).toEqual([
      "created nba_orchestration",
      "created nba_orchestration.phase_completions",
      "created nba_orchestration.phase_completion_status",
    ]);
    const completions = standIn.resources.get("nba_orchestration.phase_completions");
    expect(completions).toMatchObject({
      timePartitioning: { type: "DAY", field: "game_date" },
      clustering: { fields: ["phase", "processor"] },
    });
    expect(standIn.resources.get("nba_orchestration")).toMatchObject({ location: "US" });
  });

  it("changes nothing on a second run", async () => {
    await createBackupTables(client(), OPTIONS);
    const posts = standIn.requests.filter((r) => r.method === "POST").length;
    const again = await createBackupTables(client(), OPTIONS);
    expect(again.every((a) => a.outcome === "exists")).toBe(true);
    expect(standIn.requests.filter((r) => r.method === "POST")).toHaveLength(posts);
  });

  it("reports an existing table that is not partitioned as the schema says", async () => {
    await createBackupTables(client(), OPTIONS);
    const status = standIn.resources.get("nba_orchestration.phase_completion_status") ?? {};
    standIn.resources.set("nba_orchestration.phase_completion_status", {
      ...status,
      timePartitioning: undefined,
    });
    const actions = await createBackupTables(client(), OPTIONS);
    expect(actions[2]).toMatchObject({
      outcome: "differs",
      detail: "not partitioned by game_date",
    });
  });

  it("sends nothing in a dry run", async () => {
    const actions = await createBackupTables(client(), { ...OPTIONS, dryRun: true });
    expect(actions.every((a) => a.outcome === "would_create")).toBe(true);
    expect(standIn.requests).toHaveLength(0);
  });

  it("runs from bin/ and refuses a dataset id that is not a plain identifier", async () => {
    const run = promisify(execFile);
    const args = ["--project", "p", "--api-endpoint", standIn.url];
    const { stdout } = await run(BIN, args);
    expect(stdout).toContain("created      p.nba_orchestration.phase_completions");
    const bad = await run(BIN, [...args, "--dataset", "x`; DROP"]).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stdout: string }).stdout).toContain("ConfigurationError");
  });
});
