/**
 * Which transient Firestore errors this product retries, per store method, so that no
 * error is retried twice on top of the client's own retries.
 *
 * What `@google-cloud/firestore` 8.7 retries by itself (read in build/src: index.js
 * `request`/`_retry`, write-batch.js `commit`, transaction.js, document-reader.js,
 * reference/query-util.js and v1/firestore_client_config.json):
 * - `create()`/`set()`/`update()` send one Commit through gax with the codes ABORTED,
 *   RESOURCE_EXHAUSTED and UNAVAILABLE, backoff 100 ms × 1.3 up to 60 s, for up to 600 s
 *   in total. With the server gone (UNAVAILABLE) a `create()` therefore does not fail for
 *   10 minutes: measured against a stopped emulator, `create()`, `get()`, a query and a
 *   transaction were all still pending after 20 s. Hence the per-attempt deadline
 *   (FIRESTORE_CALL_TIMEOUT_MS) in the resilient store: without it the breaker and our
 *   retries would never see an error inside the 60 s function timeout.
 * - `DocumentReference.get()` is a BatchGetDocuments stream, restarted up to 5 times
 *   (MAX_REQUEST_RETRIES) on DEADLINE_EXCEEDED, INTERNAL and UNAVAILABLE.
 * - A query `get()` is a RunQuery stream, restarted on DEADLINE_EXCEEDED, INTERNAL and
 *   UNAVAILABLE until 600 s have passed.
 * - `listDocuments()` is a ListDocuments call through gax with DEADLINE_EXCEEDED,
 *   RESOURCE_EXHAUSTED, INTERNAL and UNAVAILABLE.
 * - `runTransaction()` runs the whole callback again, up to `maxAttempts` (default 5,
 *   DEFAULT_MAX_TRANSACTION_ATTEMPTS) with backoff, on ABORTED, CANCELLED, UNKNOWN,
 *   DEADLINE_EXCEEDED, INTERNAL, UNAVAILABLE, UNAUTHENTICATED and RESOURCE_EXHAUSTED (and
 *   INVALID_ARGUMENT "transaction has expired"): every transient code, so we add nothing.
 *
 * Rule: for a method that makes several RPCs we retry only the transient codes that none
 * of them retries (never stacked retries); the rest go back to Pub/Sub as a 503, whose
 * redelivery is the outer retry. Our own deadline (`firestore_timeout`) is never retried:
 * the client is still working on that call in the background, and a second attempt would
 * overrun the function's budget.
 */
import type { StateStore } from "../state/state_store";
import { GRPC, TRANSIENT_GRPC_CODES } from "./classify_firestore_error";

/** An RPC family the store's methods use. */
export type FirestoreRpc = "commit" | "batchGet" | "runQuery" | "listDocuments" | "transaction";

/** gRPC codes the client retries by itself for each RPC family (see the header). */
export const CLIENT_RETRIED_CODES: Record<FirestoreRpc, readonly number[]> = {
  commit: [GRPC.ABORTED, GRPC.RESOURCE_EXHAUSTED, GRPC.UNAVAILABLE],
  batchGet: [GRPC.DEADLINE_EXCEEDED, GRPC.INTERNAL, GRPC.UNAVAILABLE],
  runQuery: [GRPC.DEADLINE_EXCEEDED, GRPC.INTERNAL, GRPC.UNAVAILABLE],
  listDocuments: [GRPC.DEADLINE_EXCEEDED, GRPC.RESOURCE_EXHAUSTED, GRPC.INTERNAL, GRPC.UNAVAILABLE],
  transaction: [
    GRPC.ABORTED,
    GRPC.CANCELLED,
    GRPC.UNKNOWN,
    GRPC.DEADLINE_EXCEEDED,
    GRPC.INTERNAL,
    GRPC.UNAVAILABLE,
    GRPC.UNAUTHENTICATED,
    GRPC.RESOURCE_EXHAUSTED,
  ],
};

/** The store methods, by name. */
export type StateStoreMethod = keyof StateStore;

/** The RPC families each `FirestoreStateStore` method makes. */
export const METHOD_RPCS: Record<StateStoreMethod, readonly FirestoreRpc[]> = {
  recordCompletion: ["commit"],
  readSnapshot: ["batchGet", "runQuery"],
  claimTrigger: ["commit", "batchGet"],
  takePublishLease: ["transaction"],
  releasePublishLease: ["transaction"],
  markPublished: ["transaction"],
  replaceTrigger: ["transaction"],
  listUnpublishedTriggers: ["runQuery"],
  listDatesWithProcessors: ["listDocuments"],
  listDatesWithDeliveries: ["runQuery"],
  readTriggers: ["batchGet"],
  claimNotice: ["commit"],
  recordTriggerFollowUp: ["transaction"],
  ping: ["runQuery"],
};

// A readiness probe must report what it saw, not hide it behind retries.
const NEVER_RETRIED: ReadonlySet<StateStoreMethod> = new Set(["ping"]);

/** The gRPC codes this product retries for `method`: transient, and not retried by the client. */
export function codesRetriedByUs(method: StateStoreMethod): ReadonlySet<number> {
  if (NEVER_RETRIED.has(method)) return new Set();
  const byClient = new Set(METHOD_RPCS[method].flatMap((rpc) => CLIENT_RETRIED_CODES[rpc]));
  return new Set([...TRANSIENT_GRPC_CODES].filter((code) => !byClient.has(code)));
}
