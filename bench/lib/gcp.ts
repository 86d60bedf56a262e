/**
 * Google client classes for the bench scripts. `bench/` is not a workspace package, so a
 * bare `import "@google-cloud/firestore"` from here would not resolve; the clients are taken
 * from the shared package's own dependencies instead, the very copies the orchestrators use.
 */
import { createRequire } from "node:module";
// Types only (erased at run time); bench/tsconfig.json maps these names to the shared copies.
import type * as FirestoreModule from "@google-cloud/firestore";
import type * as PubSubModule from "@google-cloud/pubsub";

const requireFromShared = createRequire(
  new URL("../../packages/shared/package.json", import.meta.url),
);

const firestoreModule = requireFromShared("@google-cloud/firestore") as typeof FirestoreModule;
const pubsubModule = requireFromShared("@google-cloud/pubsub") as typeof PubSubModule;

/** The Firestore client class the orchestrators use. */
export const Firestore = firestoreModule.Firestore;
/** Firestore timestamps, for documents the rival design writes. */
export const FieldValue = firestoreModule.FieldValue;
/** The Pub/Sub client class the orchestrators use. */
export const PubSub = pubsubModule.PubSub;

/** A Firestore client instance. */
export type FirestoreClient = FirestoreModule.Firestore;
/** A Pub/Sub client instance. */
export type PubSubClient = PubSubModule.PubSub;
