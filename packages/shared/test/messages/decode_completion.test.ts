import { describe, expect, it } from "vitest";
import { InvalidMessageError } from "../../src/errors";
import { decodeCompletion } from "../../src/messages/decode_completion";
import { parseEnvelope } from "../../src/messages/pubsub_envelope";
import { readJsonLines } from "../support/orchestrator_fixture";

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64");

describe("completion message decoding", () => {
  it("applies defaults for status, record count and metadata", () => {
    expect(decodeCompletion(encode({ processor_name: "x", game_date: "2026-01-27" }))).toEqual({
      processor_name: "x",
      game_date: "2026-01-27",
      status: "success",
      record_count: 0,
      metadata: {},
    });
  });

  it("keeps phase 3 entity hints", () => {
    const message = decodeCompletion(
      encode({
        processor_name: "x",
        game_date: "2026-01-27",
        metadata: { is_incremental: true, entities_changed: ["player:1"] },
      }),
    );
    expect(message.metadata).toEqual({ is_incremental: true, entities_changed: ["player:1"] });
  });

  it("accepts every line of the fixture days", () => {
    for (const phase of [2, 3, 4]) {
      for (const line of readJsonLines(`day-2026-01-27-phase${phase}.jsonl`)) {
        expect(() => decodeCompletion(encode(line))).not.toThrow();
      }
    }
  });

  const bad = readJsonLines<{ case: string; data: string }>("bad-messages.jsonl");
  it.each(bad.map((b) => [b.case, b.data]))("refuses bad input: %s", (_name, data) => {
    const decode = () => {
      const received = parseEnvelope({
        headers: {},
        body: { message: { data, messageId: "1" } },
      });
      return decodeCompletion(received.encodedData);
    };
    expect(decode).toThrow(InvalidMessageError);
    try {
      decode();
    } catch (error) {
      const invalid = error as InvalidMessageError;
      expect(invalid.retryable).toBe(false);
      expect(invalid.excerpt.length).toBeLessThan(260);
    }
  });
});

describe("Pub/Sub envelopes", () => {
  const message = { data: encode({ a: 1 }), messageId: "42", publishTime: "2026-01-27T06:00:00Z" };

  it("reads a push body", () => {
    const received = parseEnvelope({ headers: {}, body: { message, subscription: "s" } });
    expect(received).toMatchObject({ messageId: "42", format: "push", subscription: "s" });
    expect(JSON.parse(Buffer.from(received.encodedData, "base64").toString())).toEqual({ a: 1 });
  });

  it("reads a binary-mode CloudEvent", () => {
    const received = parseEnvelope({
      headers: { "ce-id": "42", "ce-type": "google.cloud.pubsub.topic.v1.messagePublished" },
      body: { message, subscription: "s" },
    });
    expect(received.format).toBe("cloudevent-binary");
    expect(received.messageId).toBe("42");
  });

  it("reads a structured-mode CloudEvent", () => {
    const received = parseEnvelope({
      headers: { "content-type": "application/cloudevents+json" },
      body: {
        specversion: "1.0",
        id: "ce-1",
        type: "google.cloud.pubsub.topic.v1.messagePublished",
        source: "//pubsub.googleapis.com/projects/p/topics/t",
        data: { message, subscription: "s" },
      },
    });
    expect(received).toMatchObject({ format: "cloudevent-structured", messageId: "42" });
  });

  it("refuses a body that is not a delivery", () => {
    expect(() => parseEnvelope({ headers: {}, body: { hello: "world" } })).toThrow(
      InvalidMessageError,
    );
  });
});

describe("lenient informational fields", () => {
  it("treats null optional fields as absent instead of losing the completion", () => {
    const message = decodeCompletion(
      encode({
        processor_name: "x",
        game_date: "2026-01-27",
        status: null,
        correlation_id: null,
        output_dataset: null,
        record_count: null,
        metadata: null,
      }),
    );
    expect(message).toMatchObject({ status: "success", record_count: 0, metadata: {} });
    expect(message.correlation_id).toBeUndefined();
  });

  it("keeps a timestamp without a time zone, as Python's isoformat() writes it", () => {
    const message = decodeCompletion(
      encode({
        processor_name: "x",
        game_date: "2026-01-27",
        timestamp: "2026-01-27T06:45:00.123456",
      }),
    );
    expect(message.timestamp).toBe("2026-01-27T06:45:00.123456");
  });
});
