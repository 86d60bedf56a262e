import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ConfigurationError } from "../errors";
import { COMMIT_LABEL, type Command } from "./deploy_commands";
import type { DeployManifest } from "./manifest";

/** What the describe output says about the running code. */
export interface DeployedState {
  commit: string | null;
  deployedAt: string | null;
}

/** Something deployed whose code should match the newest commit of its inputs. */
export interface DriftSource {
  name: string;
  region: string;
  inputs: string[];
  describe: Command;
  readDeployed(describeJson: unknown): DeployedState;
  redeployCommand: string;
}

const projectArgs = (project?: string) => (project ? ["--project", project] : []);

const labelOf = (labels: unknown, key: string): string | null => {
  if (typeof labels !== "object" || labels === null) return null;
  const value = (labels as Record<string, unknown>)[key];
  return typeof value === "string" && value !== "" ? value : null;
};

const functionDescribe = z.object({
  labels: z.record(z.string(), z.string()).optional(),
  updateTime: z.string().optional(),
});

/** The orchestrator functions of the manifest, described with `gcloud functions describe`. */
export function functionSources(manifest: DeployManifest, project?: string): DriftSource[] {
  return manifest.functions.map((f) => ({
    name: f.name,
    region: f.region,
    inputs: f.inputs,
    describe: [
      "gcloud",
      "functions",
      "describe",
      f.name,
      "--region",
      f.region,
      "--format=json",
      ...projectArgs(project),
    ],
    readDeployed(json) {
      const d = functionDescribe.parse(json);
      return { commit: labelOf(d.labels, COMMIT_LABEL), deployedAt: d.updateTime ?? null };
    },
    redeployCommand: ["bin/deploy", f.name, ...projectArgs(project)].join(" "),
  }));
}

/** Where the Cloud Run services the processors run on are listed. */
export const CLOUD_RUN_LIST_PATH = "deploy/cloud-run-services.json";

const serviceListSchema = z.object({
  $comment: z.string().optional(),
  services: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z][a-z0-9-]{0,48}[a-z0-9]$/),
        region: z.string(),
        /** Paths in the processors' repository (given with `--repo`). */
        inputs: z.array(z.string()).min(1),
        commitLabel: z.string().default(COMMIT_LABEL),
        /** How to redeploy it; by default a source deploy labelled with the checked-out commit. */
        redeployCommand: z.string().optional(),
      }),
    )
    .min(1),
});

const serviceDescribe = z.object({
  metadata: z.object({ labels: z.record(z.string(), z.string()).optional() }).optional(),
  spec: z
    .object({
      template: z
        .object({
          metadata: z.object({ labels: z.record(z.string(), z.string()).optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
  status: z
    .object({
      conditions: z
        .array(z.object({ type: z.string(), lastTransitionTime: z.string().optional() }))
        .optional(),
    })
    .optional(),
});

/** The Cloud Run services of `listPath`, described with `gcloud run services describe`. */
export function cloudRunSources(listPath: string, project?: string): DriftSource[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(listPath, "utf8"));
  } catch (error) {
    throw new ConfigurationError(`cannot read ${listPath}: ${(error as Error).message}`);
  }
  const list = serviceListSchema.parse(raw);
  return list.services.map((s) => ({
    name: s.name,
    region: s.region,
    inputs: s.inputs,
    describe: [
      "gcloud",
      "run",
      "services",
      "describe",
      s.name,
      "--region",
      s.region,
      "--format=json",
      ...projectArgs(project),
    ],
    readDeployed(json) {
      const d = serviceDescribe.parse(json);
      // A label on the revision template is what the running revision carries; fall back
      // to the service's own labels for services labelled by hand.
      const commit =
        labelOf(d.spec?.template?.metadata?.labels, s.commitLabel) ??
        labelOf(d.metadata?.labels, s.commitLabel);
      const ready = d.status?.conditions?.find((c) => c.type === "Ready");
      return { commit, deployedAt: ready?.lastTransitionTime ?? null };
    },
    redeployCommand:
      s.redeployCommand ??
      [
        "gcloud run deploy",
        s.name,
        `--region ${s.region}`,
        ...projectArgs(project),
        "--source .",
        `--update-labels ${s.commitLabel}=$(git rev-parse HEAD)`,
      ].join(" "),
  }));
}

/** Default location of the Cloud Run list inside a checkout. */
export function defaultCloudRunList(repoRoot: string): string {
  return join(repoRoot, CLOUD_RUN_LIST_PATH);
}
