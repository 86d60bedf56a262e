import fc from "fast-check";

/** Text that stresses decoders: astral and combining characters, controls, lone surrogates. */
export const oddText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    "\u0000",
    "\uFEFF",
    "\uD800",
    "\u202Eevil",
    "../../phase3_completion/2026-01-27",
    "x'; DROP TABLE phase_completions; --",
    "__proto__",
    "constructor",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "２０２６-０１-２７",
  ),
);

/** A string far larger than any field allows (up to 300 kB, still under the body limit). */
export const hugeText = fc.integer({ min: 1_000, max: 300_000 }).map((n) => "p".repeat(n));

/** Values nested up to a few thousand levels deep. */
export const deeplyNested = fc
  .tuple(fc.integer({ min: 50, max: 3_000 }), fc.boolean())
  .map(([depth, asArray]) => {
    let value: unknown = "leaf";
    for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { a: value };
    return value;
  });

/** Any JSON-ish value, odd text and deep nesting included. */
export const anyValue = fc.oneof(
  { depthSize: "small" },
  fc.anything({ maxDepth: 4 }),
  oddText,
  hugeText,
  deeplyNested,
  fc.double(),
  fc.bigInt().map((n) => n.toString()),
);

/** A completion-shaped object with each field possibly of the wrong type or value. */
export const completionLike = fc.record(
  {
    processor_name: anyValue,
    game_date: anyValue,
    status: anyValue,
    record_count: anyValue,
    metadata: anyValue,
    correlation_id: anyValue,
    output_table: anyValue,
    timestamp: anyValue,
  },
  { requiredKeys: [] },
);

/** Message `data` strings: broken base64 and base64 of bad payloads. */
export const messageDataText = fc.oneof(
  oddText,
  hugeText,
  fc.base64String({ maxLength: 64 }),
  fc.string({ maxLength: 60 }).map((s) => `${Buffer.from(s).toString("base64")}%`),
  completionLike.map((p) => Buffer.from(JSON.stringify(p) ?? "null").toString("base64")),
  anyValue.map((v) => Buffer.from(JSON.stringify(v) ?? "undefined").toString("base64")),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("base64")),
);

/** Message `data` fields of any type. */
export const messageData = fc.oneof(messageDataText, anyValue);

/** A push envelope Pub/Sub could have sent, around bad data: reaches the decoder. */
export const wellFormedEnvelope = fc.record({
  message: fc.record({
    data: messageDataText,
    messageId: fc.string({ minLength: 1, maxLength: 30 }),
    publishTime: fc.constant(new Date().toISOString()),
    attributes: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })),
  }),
  subscription: fc.constant("projects/p/subscriptions/s"),
});

/** Request bodies: push envelopes with bad parts, CloudEvents, and anything else. */
export const requestBody = fc.oneof(
  { arbitrary: wellFormedEnvelope, weight: 4 },
  fc.record(
    {
      message: fc.oneof(
        fc.record(
          {
            data: messageData,
            messageId: fc.oneof(oddText, anyValue),
            message_id: anyValue,
            attributes: anyValue,
            publishTime: fc.oneof(
              oddText,
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            ),
          },
          { requiredKeys: [] },
        ),
        anyValue,
      ),
      subscription: anyValue,
    },
    { requiredKeys: [] },
  ),
  fc.record({ specversion: anyValue, id: anyValue, type: anyValue, data: anyValue }),
  anyValue,
);

/** Content types the framework may hand over, CloudEvents included. */
export const contentType = fc.constantFrom(
  "application/json",
  "application/cloudevents+json",
  "text/plain",
  "application/octet-stream",
  "",
);
