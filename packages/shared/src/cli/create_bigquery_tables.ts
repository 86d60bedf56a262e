import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { BigQuery } from "@google-cloud/bigquery";
import { createBigQueryClient } from "../backup/bigquery_client";
import { classifyBigQueryError } from "../backup/bigquery_errors";
import {
  type BackupTableSpec,
  COMPLETIONS_TABLE,
  DEFAULT_BACKUP_DATASET,
  STATUS_TABLE,
} from "../backup/bigquery_schema";
import { validateIdentifier } from "../backup/bigquery_sql";
import { describeError } from "../errors";

/** What was (or would be) done to one dataset or table. */
export interface TableAction {
  resource: string;
  outcome: "created" | "exists" | "would_create" | "differs";
  detail?: string;
}

/** Where to create the backup tables. */
export interface CreateTablesOptions {
  dataset: string;
  location: string;
  dryRun: boolean;
}

const HTTP_CONFLICT = 409;

/** The API resource of one table: schema, day partitions and clustering. */
export function tableResource(spec: BackupTableSpec) {
  return {
    schema: { fields: spec.fields },
    timePartitioning: { type: "DAY", field: spec.partitionField },
    clustering: { fields: spec.clusteringFields },
  };
}

/**
 * Creates the dataset and both tables if missing; existing ones are left alone and compared
 * with the schema. Safe to run again, and two runs racing each other both succeed.
 */
export async function createBackupTables(
  bigquery: BigQuery,
  options: CreateTablesOptions,
): Promise<TableAction[]> {
  const datasetId = validateIdentifier("dataset", options.dataset);
  const specs = [COMPLETIONS_TABLE, STATUS_TABLE];
  if (options.dryRun) {
    return [
      { resource: datasetId, outcome: "would_create", detail: `location ${options.location}` },
      ...specs.map((spec) => ({
        resource: `${datasetId}.${spec.defaultName}`,
        outcome: "would_create" as const,
        detail: describeSpec(spec),
      })),
    ];
  }
  const dataset = bigquery.dataset(datasetId, { location: options.location });
  const actions: TableAction[] = [];
  const [datasetExists] = await dataset.exists();
  actions.push({ resource: datasetId, outcome: datasetExists ? "exists" : "created" });
  if (!datasetExists) await ignoreConflict(dataset.create({ location: options.location }));
  for (const spec of specs) {
    const table = dataset.table(spec.defaultName);
    const resource = `${datasetId}.${spec.defaultName}`;
    const [exists] = await table.exists();
    if (!exists) {
      await ignoreConflict(dataset.createTable(spec.defaultName, tableResource(spec)));
      actions.push({ resource, outcome: "created" });
      continue;
    }
    const [metadata] = await table.getMetadata();
    const difference = describeDifference(spec, metadata);
    actions.push(
      difference === undefined
        ? { resource, outcome: "exists" }
        : { resource, outcome: "differs", detail: difference },
    );
  }
  return actions;
}

function describeSpec(spec: BackupTableSpec): string {
  const columns = spec.fields.map(
    (f) => `${f.name} ${f.type}${f.mode === "REQUIRED" ? "" : ` ${f.mode}`}`,
  );
  return (
    `partitioned by DAY(${spec.partitionField}), clustered by ${spec.clusteringFields.join(", ")}; ` +
    `columns: ${columns.join(", ")}`
  );
}

// A concurrent run may create the resource between our check and our insert.
async function ignoreConflict(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if ((error as { code?: unknown }).code !== HTTP_CONFLICT) throw error;
  }
}

interface TableMetadata {
  schema?: { fields?: { name?: string }[] };
  timePartitioning?: { field?: string };
  clustering?: { fields?: string[] };
}

function describeDifference(spec: BackupTableSpec, metadata: TableMetadata): string | undefined {
  const problems: string[] = [];
  const present = new Set((metadata.schema?.fields ?? []).map((field) => field.name));
  const missing = spec.fields.filter((field) => !present.has(field.name)).map((f) => f.name);
  if (missing.length > 0) problems.push(`missing columns ${missing.join(", ")}`);
  if (metadata.timePartitioning?.field !== spec.partitionField) {
    problems.push(`not partitioned by ${spec.partitionField}`);
  }
  if ((metadata.clustering?.fields ?? []).join(",") !== spec.clusteringFields.join(",")) {
    problems.push(`not clustered by ${spec.clusteringFields.join(", ")}`);
  }
  return problems.length === 0 ? undefined : problems.join("; ");
}

const USAGE = `Usage: bin/create-bigquery-tables --project ID [--dataset NAME] [--location LOC] [--dry-run]
Creates the backup dataset and the tables phase_completions and phase_completion_status
(day-partitioned by game_date, clustered) from schemas/bigquery/*.json, if missing.
  --project ID        Google Cloud project (default: $GOOGLE_CLOUD_PROJECT)
  --dataset NAME      dataset (default: ${DEFAULT_BACKUP_DATASET})
  --location LOC      dataset location (default: US)
  --dry-run           print what would be created; contacts nothing
  --api-endpoint URL  another BigQuery endpoint, e.g. a local stand-in
Exit: 0 done, 1 failed or an existing table differs from the schema, 2 bad usage.`;

/** Runs the command; returns the exit code. */
export async function main(argv: string[], print = (line: string) => console.log(line)) {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    print(`${describeError(error)}\n${USAGE}`);
    return 2;
  }
  const project = values.project ?? process.env.GOOGLE_CLOUD_PROJECT;
  if (values.help) {
    print(USAGE);
    return 0;
  }
  if (project === undefined || project === "") {
    print(`--project is required\n${USAGE}`);
    return 2;
  }
  const options = {
    dataset: values.dataset ?? DEFAULT_BACKUP_DATASET,
    location: values.location ?? "US",
    dryRun: values["dry-run"] ?? false,
  };
  try {
    const endpoint = values["api-endpoint"];
    const bigquery = createBigQueryClient({
      projectId: project,
      location: options.location,
      ...(endpoint === undefined ? {} : { apiEndpoint: endpoint }),
    });
    const actions = await createBackupTables(bigquery, options);
    for (const a of actions)
      print(`${a.outcome.padEnd(12)} ${project}.${a.resource}${a.detail ? `  ${a.detail}` : ""}`);
    return actions.some((a) => a.outcome === "differs") ? 1 : 0;
  } catch (error) {
    print(`failed: ${describeError(classifyBigQueryError(error))}`);
    return 1;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      project: { type: "string" },
      dataset: { type: "string" },
      location: { type: "string" },
      "dry-run": { type: "boolean" },
      "api-endpoint": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2));
}
