import type { FirestoreStateStore } from "./firestore_state_store";

/**
 * The primary store as the tracker sees it. The Firestore implementation is the only real
 * one; the resilience layer wraps it with retries and a circuit breaker.
 */
export type StateStore = { [K in keyof FirestoreStateStore]: FirestoreStateStore[K] };
