import { BigQuery } from "@google-cloud/bigquery";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bigQueryClientSettings, createBigQueryClient } from "../../src/backup/bigquery_client";
import { BigQueryStandIn } from "../../src/testing/bigquery_stand_in";

// These tests pin down what the client retries by itself, which decides where retries live.
// The client's own back-off is real time (2 s plus up to 1 s of jitter before the first
// retry), so the one test that lets it retry takes 2-3 s.
describe("BigQuery client retry settings", () => {
  let standIn: BigQueryStandIn;
  beforeAll(async () => {
    standIn = await BigQueryStandIn.start();
  });
  afterEach(() => standIn.reset());
  afterAll(() => standIn.close());

  it("turns the client's own retries off unless maxRetries is positive", () => {
    expect(bigQueryClientSettings({ projectId: "p" })).toMatchObject({
      autoRetry: false,
      maxRetries: 0,
    });
    expect(bigQueryClientSettings({ projectId: "p", maxRetries: 2 })).toMatchObject({
      autoRetry: true,
      maxRetries: 2,
    });
    expect(() => bigQueryClientSettings({ projectId: "p", maxRetries: -1 })).toThrow(RangeError);
  });

  it("sends a failing query once with the factory defaults", async () => {
    const client = createBigQueryClient({ projectId: "p", apiEndpoint: standIn.url });
    standIn.failNext(1, "unavailable");
    await expect(client.query("SELECT 1")).rejects.toMatchObject({ code: 503 });
    expect(standIn.requests).toHaveLength(1);
  });

  it("still retries a 503 by itself when given maxRetries 0 without autoRetry false", async () => {
    const client = new BigQuery({ projectId: "p", apiEndpoint: standIn.url, maxRetries: 0 });
    standIn.failNext(1, "unavailable");
    await client.query("SELECT 1");
    expect(standIn.requests).toHaveLength(2);
  });

  it("never retries a DML conflict by itself, even with autoRetry on", async () => {
    const client = createBigQueryClient({
      projectId: "p",
      apiEndpoint: standIn.url,
      maxRetries: 3,
    });
    standIn.failNext(1, "dml_conflict");
    await expect(client.query("MERGE x")).rejects.toMatchObject({ code: 400 });
    expect(standIn.requests).toHaveLength(1);
  });
});
