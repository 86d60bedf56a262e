import { BigQuery } from "@google-cloud/bigquery";

/** Options of the BigQuery client this product uses. */
export interface BigQueryClientOptions {
  projectId: string;
  /** Another endpoint than Google's, e.g. the loopback stand-in in tests. */
  apiEndpoint?: string;
  /** Location of jobs and datasets, e.g. `US`. */
  location?: string;
  /**
   * Retries the client makes by itself on 408/429/5xx and lost connections. Default 0:
   * the resilience layer owns every retry (see bigquery_errors.ts for why).
   */
  maxRetries?: number;
}

// No `timeout` is set: teeny-request 10 hands it to node-fetch 3, which dropped that option,
// so the client has no request deadline at all (googleapis/google-cloud-node#7998). The
// store enforces its own deadline instead (`callTimeoutMs` in bigquery_backup_store.ts).

/** The client settings `createBigQueryClient` applies, exposed so that tests and docs agree. */
export function bigQueryClientSettings(options: BigQueryClientOptions) {
  const maxRetries = options.maxRetries ?? 0;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new RangeError(`maxRetries must be a whole number >= 0, got ${maxRetries}`);
  }
  return {
    projectId: options.projectId,
    ...(options.apiEndpoint === undefined ? {} : { apiEndpoint: options.apiEndpoint }),
    ...(options.location === undefined ? {} : { location: options.location }),
    // `maxRetries: 0` alone would fall back to 3 inside the client; `autoRetry` is the switch.
    autoRetry: maxRetries > 0,
    maxRetries,
  };
}

/** A BigQuery client with this product's retry and timeout settings. */
export function createBigQueryClient(options: BigQueryClientOptions): BigQuery {
  return new BigQuery(bigQueryClientSettings(options));
}
