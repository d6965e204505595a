import { ConfigError, errorMessage, ForbiddenError, NotFoundError, SubmitRefusedError, UnauthenticatedError, UnavailableError } from "../../core/errors.js";
import type { Result } from "../../core/result.js";
import { submissionResult, type Resubmission, type ResubmitRequest, type Resubmitter } from "../resubmitter.js";
import { BadInputError } from "../../core/errors.js";
import { buildRollbackJob, type RollbackJob } from "./build-rollback-job.js";

export interface KubernetesJobResubmitterOptions {
  /** A kubeconfig file; the default chain ($KUBECONFIG, ~/.kube/config, in-cluster) when absent. */
  kubeconfig?: string;
  /** Where the Job goes; else the namespace the run was recorded in, else the kubeconfig context's, else "default". */
  namespace?: string;
  /** The collector's HTTP address as pods reach it. */
  collectorHttp: string;
  snaptrail?: string[];
}

type ClientNode = typeof import("@kubernetes/client-node");

/** A Kubernetes Status object's message, when the API server sent one. */
function statusMessage(body: unknown): string {
  if (typeof body === "string") {
    try {
      return statusMessage(JSON.parse(body) as unknown);
    } catch {
      return body.slice(0, 2000);
    }
  }
  const m = (body as { message?: unknown } | null)?.message;
  return typeof m === "string" ? m : "";
}

/**
 * A recorded container run sent back as a Kubernetes Job: the image pinned by the recorded
 * digest, the command as recorded under `snaptrail wrap` with the restore settings
 * (build-rollback-job.ts), created with @kubernetes/client-node (loaded here only).
 */
export class KubernetesJobResubmitter implements Resubmitter {
  readonly kind = "KUBEFLOW" as const;

  constructor(private readonly options: KubernetesJobResubmitterOptions) {}

  resubmit(request: ResubmitRequest): Promise<Result<Resubmission>> {
    return submissionResult(() => this.submit(request));
  }

  private async submit(request: ResubmitRequest): Promise<Resubmission> {
    const { run } = request;
    const o = request.overrides ?? {};
    const asked = (["gres", "partition", "time", "step"] as const).filter((k) => o[k] !== undefined);
    if (asked.length > 0) throw new BadInputError(`--${asked.join(", --")} do not apply to a Kubernetes Job: ${run.runId} runs again as recorded`);
    const k8s: ClientNode = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    try {
      if (this.options.kubeconfig !== undefined) kc.loadFromFile(this.options.kubeconfig);
      else kc.loadFromDefault();
    } catch (err) {
      throw new ConfigError(`cannot read the kubeconfig ${this.options.kubeconfig ?? "(default: $KUBECONFIG or ~/.kube/config)"}: ${errorMessage(err)}`, { cause: err });
    }
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new ConfigError(`the kubeconfig ${this.options.kubeconfig ?? "(default)"} names no current cluster: give --kubeconfig with a current-context`);
    const contextNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
    const namespace = this.options.namespace || run.orchestratorContext?.attributes.namespace || contextNamespace || "default";
    const job: RollbackJob = buildRollbackJob({ run, namespace, collectorHttp: this.options.collectorHttp, ...(this.options.snaptrail ? { snaptrail: this.options.snaptrail } : {}) });
    const endpoint = `${cluster.server.replace(/\/+$/, "")}/apis/batch/v1/namespaces/${namespace}/jobs`;
    const commands = [`POST ${endpoint} ${JSON.stringify(job)}`];
    const image = job.spec.template.spec.containers[0]?.image ?? "";
    if (request.dryRun) return { externalId: "", detail: `dry run: nothing created in namespace ${namespace} of ${cluster.server} (image ${image})`, commands };
    const batch = kc.makeApiClient(k8s.BatchV1Api);
    let created: { metadata?: { name?: string } };
    try {
      created = await batch.createNamespacedJob({ namespace, body: job });
    } catch (err) {
      throw translate(err, k8s, cluster.server, namespace);
    }
    const name = created.metadata?.name ?? "";
    if (name === "") throw new SubmitRefusedError(`the API server at ${cluster.server} answered without the Job's name: look for jobs annotated snaptrail.dev/rollback-of=${run.runId} in ${namespace} before resubmitting again`);
    return { externalId: name, detail: `created Kubernetes Job ${namespace}/${name} on ${cluster.server} running ${image}`, commands };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function translate(err: unknown, k8s: ClientNode, server: string, namespace: string): Error {
  if (err instanceof k8s.ApiException) {
    const e = err as InstanceType<ClientNode["ApiException"]> & { body: unknown };
    const said = statusMessage(e.body);
    const what = `the API server at ${server} answered HTTP ${e.code} to creating a Job in ${namespace}`;
    const tail = `; nothing was submitted${said ? `:\n${said}` : ""}`;
    if (e.code === 401) return new UnauthenticatedError(`${what}: the kubeconfig's credentials were refused${tail}`, { cause: err });
    if (e.code === 403) return new ForbiddenError(`${what}: the account may not create Jobs there${tail}`, { cause: err });
    if (e.code === 404) return new NotFoundError(`${what}: no such namespace${tail}`, { cause: err });
    if (e.code >= 500) return new UnavailableError(`${what}${tail}`, { cause: err });
    return new SubmitRefusedError(`${what}: refused${tail}`, { cause: err });
  }
  const cause = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code ?? errorMessage(err);
  return new UnavailableError(`the Kubernetes API server at ${server} cannot be reached (${cause}); nothing was submitted`, { cause: err });
}
