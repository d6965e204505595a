import { BadInputError } from "../../core/errors.js";
import type { RunDetail } from "../../core/api-types.js";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Variables that belong to the pod or run they were recorded in, not to a new Job's. */
const PER_POD = /^(KFP_|ARGO_|POD_|KUBERNETES_|SNAPTRAIL_|HOSTNAME$|HOME$)/;

/** Annotation keys on the Job: the run it rolls back (label values cannot hold a run id's "/" and ":"). */
export const ROLLBACK_OF_ANNOTATION = "snaptrail.dev/rollback-of";

export interface RollbackJobInput {
  run: RunDetail;
  /** Where the Job goes. */
  namespace: string;
  /** The collector's HTTP address as pods reach it: the restore reads the run from there. */
  collectorHttp: string;
  /** The agent inside the image; `snaptrail` on its PATH by default. */
  snaptrail?: string[];
}

export type JobEnvVar = { name: string; value: string } | { name: string; valueFrom: { fieldRef: { fieldPath: string } } };

/** A core/v1 and batch/v1 Job as plain JSON (the API's own field names), ready to POST. */
export interface RollbackJob {
  apiVersion: "batch/v1";
  kind: "Job";
  metadata: { generateName: string; namespace: string; annotations: Record<string, string>; labels: Record<string, string> };
  spec: {
    backoffLimit: number;
    template: {
      metadata: { annotations: Record<string, string>; labels: Record<string, string> };
      spec: {
        restartPolicy: "Never";
        containers: { name: string; image: string; command: string[]; env: JobEnvVar[]; workingDir?: string }[];
      };
    };
  };
}

/**
 * "repo@sha256:…" from a recorded reference ("ghcr.io/acme/train:2024-05", "localhost:5000/x",
 * "repo@sha256:old") and the recorded digest: the tag or old digest goes, the registry port stays.
 */
export function pinnedImage(reference: string, digest: string): string {
  let repo = reference.includes("@") ? reference.slice(0, reference.indexOf("@")) : reference;
  const lastSlash = repo.lastIndexOf("/");
  const colon = repo.lastIndexOf(":");
  if (colon > lastSlash) repo = repo.slice(0, colon);
  return `${repo}@${digest}`;
}

/**
 * The Job that runs a recorded container run again: the image pinned by the recorded digest, the
 * recorded command under `snaptrail wrap` with SNAPTRAIL_RESTORE (the code restored from the
 * collector, the image checked against the digest, the new run recorded with rollback_of), the
 * recorded working directory and variables (redacted ones left out: their values were never
 * stored). A run without a digest is refused: a tag may point at another image by now.
 */
export function buildRollbackJob(input: RollbackJobInput): RollbackJob {
  const { run } = input;
  const image = run.environment?.image ?? null;
  const reference = image?.reference ?? "";
  const digest = image?.digest ?? "";
  if (image === null || reference === "") {
    throw new BadInputError(`${run.runId} recorded no container image, so there is nothing to pin a Kubernetes Job to; nothing was submitted`);
  }
  if (!DIGEST.test(digest)) {
    const why = run.warnings.find((w) => w.source === "image")?.message;
    throw new BadInputError(
      `${run.runId} recorded the image ${reference} without a sha256 digest${why ? ` (${why})` : ""}: a tag can point at another image by now, so a Job cannot be pinned to what ran; nothing was submitted`,
    );
  }
  const argv = run.config?.argv ?? [];
  if (argv.length === 0) throw new BadInputError(`${run.runId} recorded no command line, so there is nothing to run in the Job`);
  const hidden = argv.filter((a) => /<redacted sha256:[0-9a-f]+>/.test(a));
  if (hidden.length > 0) {
    throw new BadInputError(`${run.runId} recorded its command line with ${hidden.length} secret value(s) redacted, which were never stored: a Job cannot run it as recorded; nothing was submitted`);
  }
  const env: JobEnvVar[] = [];
  for (const e of run.environment?.env ?? []) {
    if (e.redacted || PER_POD.test(e.name)) continue;
    env.push({ name: e.name, value: e.value });
  }
  env.push(
    { name: "SNAPTRAIL_RESTORE", value: run.runId },
    // The image is the environment: check it is the recorded one instead of rebuilding a venv in it.
    { name: "SNAPTRAIL_RESTORE_ENV", value: "image" },
    { name: "SNAPTRAIL_ROLLBACK_OF", value: run.runId },
    { name: "SNAPTRAIL_COLLECTOR_HTTP", value: input.collectorHttp },
    { name: "SNAPTRAIL_PIPELINE", value: run.pipeline },
    { name: "SNAPTRAIL_STEP", value: run.step },
    // The agent finds its own Pod by these (the image check reads the digest from its status).
    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
  );
  const cwd = run.config?.cwd ?? "";
  const annotations = { [ROLLBACK_OF_ANNOTATION]: run.runId };
  const labels = { "app.kubernetes.io/managed-by": "snaptrail" };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { generateName: "snaptrail-rollback-", namespace: input.namespace, annotations, labels },
    spec: {
      // A rollback is one attempt: a retry would be a second run of the same request.
      backoffLimit: 0,
      template: {
        metadata: { annotations, labels },
        spec: {
          restartPolicy: "Never",
          containers: [
            {
              name: "main",
              image: pinnedImage(reference, digest),
              command: [...(input.snaptrail ?? ["snaptrail"]), "wrap", "--", ...argv],
              env,
              ...(cwd !== "" ? { workingDir: cwd } : {}),
            },
          ],
        },
      },
    },
  };
}
