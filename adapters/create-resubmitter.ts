import { BadInputError, ConfigError } from "../core/errors.js";
import type { OrchestratorKind } from "../core/model.js";
import type { CommandRunner } from "./command-runner.js";
import { createCommandRunner } from "./create-command-runner.js";
import type { Resubmitter } from "./resubmitter.js";

/** Where a Slurm job goes: one of these, never two. */
export interface ResubmitTransport {
  /** ssh://USER@HOST[:PORT]: sbatch on a login node over SSH. */
  via?: string;
  /** sbatch on this machine. */
  local?: boolean;
  /** slurmrestd's address, http://HOST:PORT. */
  rest?: string;
  /** Kubeflow Pipelines: the KFP API's address; the run goes back as a new KFP run. */
  kfp?: string;
  /** A Kubernetes Job pinned by the recorded image digest. */
  kubernetes?: boolean;
}

export interface KubernetesFlags {
  /** Bearer token for --kfp. */
  kfpToken?: string;
  kubeconfig?: string;
  namespace?: string;
}

export interface SshFlags {
  identity?: string;
  knownHosts?: string;
  trustNewHostKey?: boolean;
}

/** Where an Airflow run goes back to, and as whom (the password is never printed). */
export interface AirflowFlags {
  /** Airflow's API server, http://HOST:PORT. */
  url?: string;
  user?: string;
  password?: string;
  /** More of the DAG run's conf, already parsed (`--conf`). */
  conf?: Record<string, unknown>;
  /** The recorded run of another task of the same DAG run, for `--step`. */
  findStepRun?: (dagId: string, dagRunId: string, taskId: string) => Promise<string | undefined>;
}

export interface CreateResubmitterOptions extends ResubmitTransport {
  kind: OrchestratorKind;
  runId: string;
  /** The snaptrail that runs now, as an argv prefix (node and its script): local re-runs and restores here. */
  snaptrail: string[];
  /** --remote-snaptrail: snaptrail on the login node or compute node; default the one here for --local, else `snaptrail`. */
  remoteSnaptrail?: string;
  /** The collector's HTTP address as the cluster (login node, compute node) reaches it. */
  collectorHttp: string;
  restoreDir?: string;
  /** Variables for the commands on the cluster (SLURM_CONF...), and for a slurmrestd job. */
  remoteEnv?: Record<string, string>;
  ssh?: SshFlags;
  restUser?: string;
  restToken?: string;
  k8s?: KubernetesFlags;
  airflow?: AirflowFlags;
  env: NodeJS.ProcessEnv;
  /** Local re-runs write their stdout to stderr (`--json` keeps stdout). */
  stdoutToStderr?: boolean;
}

export const SUPPORTED_KINDS: readonly OrchestratorKind[] = ["SLURM", "AIRFLOW", "KUBEFLOW", "LOCAL"];

function transportFlags(o: ResubmitTransport): string[] {
  return [...(o.via !== undefined ? ["--via"] : []), ...(o.local ? ["--local"] : []), ...(o.rest !== undefined ? ["--rest"] : []), ...(o.kfp !== undefined ? ["--kfp"] : []), ...(o.kubernetes ? ["--kubernetes"] : [])];
}

/**
 * THE factory: a run's orchestrator kind and the transport flags -> the Resubmitter that sends it
 * back. Each adapter and its heavy modules (ssh2) load only when chosen. Airflow and Kubeflow
 * plug in here.
 */
export async function createResubmitter(o: CreateResubmitterOptions): Promise<Resubmitter> {
  const flags = transportFlags(o);
  if (flags.length > 1) throw new ConfigError(`${flags.join(" and ")} exclude each other: say one way to submit`);
  if (o.kubernetes) return createJobResubmitter(o);
  if (o.kfp !== undefined && o.kind !== "KUBEFLOW") throw new BadInputError(`${o.runId} is a ${o.kind} run, not a Kubeflow Pipelines run: --kfp does not apply`);
  if (o.kind !== "AIRFLOW" && (o.airflow?.url !== undefined || o.airflow?.conf !== undefined)) {
    throw new BadInputError(`${o.runId} is a ${o.kind} run, not an Airflow run: --airflow and --conf do not apply (drop them, or pick an Airflow run)`);
  }
  switch (o.kind) {
    case "KUBEFLOW": {
      if (o.kfp === undefined) {
        throw new ConfigError(`${o.runId} is a Kubeflow run: say where it goes: --kfp URL (a new KFP run of the same pipeline version, this component pinned) or --kubernetes (a Job running the recorded image by digest)`);
      }
      const { KfpResubmitter } = await import("./kubeflow/kfp-resubmitter.js");
      return new KfpResubmitter({ url: o.kfp, token: o.k8s?.kfpToken ?? "" });
    }
    case "LOCAL": {
      if (o.via !== undefined || o.rest !== undefined) {
        throw new BadInputError(`${o.runId} is a local run, not a Slurm run: it is re-run on this machine, so ${flags.join(" ")} does not apply (drop it, or pick a Slurm run)`);
      }
      const { LocalResubmitter } = await import("./local/local-resubmitter.js");
      return new LocalResubmitter({ snaptrail: o.snaptrail, collectorHttp: o.collectorHttp, env: o.env, ...(o.stdoutToStderr ? { stdoutToStderr: true } : {}) });
    }
    case "SLURM":
      return createSlurmResubmitter(o);
    case "AIRFLOW":
      return createAirflowResubmitter(o);
    default: {
      // Every kind this version knows is handled above; a stored run may come from a newer agent.
      const kind: string = o.kind;
      throw new BadInputError(`${o.runId} is a ${kind} run; resubmit supports ${SUPPORTED_KINDS.join(", ")} runs in this version`);
    }
  }
}

/** --kubernetes: a container run (Kubeflow, or recorded by `snaptrail wrap` in any pod) as a Job. */
async function createJobResubmitter(o: CreateResubmitterOptions): Promise<Resubmitter> {
  if (o.kind !== "KUBEFLOW" && o.kind !== "LOCAL") {
    throw new BadInputError(`${o.runId} is a ${o.kind} run: --kubernetes sends container runs (Kubeflow, or wrapped in a pod) back as a Job`);
  }
  const { KubernetesJobResubmitter } = await import("./kubernetes/kubernetes-job-resubmitter.js");
  const remote = o.remoteSnaptrail !== undefined && o.remoteSnaptrail !== "" ? { snaptrail: [o.remoteSnaptrail] } : {};
  return new KubernetesJobResubmitter({
    collectorHttp: o.collectorHttp,
    ...(o.k8s?.kubeconfig !== undefined ? { kubeconfig: o.k8s.kubeconfig } : {}),
    ...(o.k8s?.namespace !== undefined ? { namespace: o.k8s.namespace } : {}),
    ...remote,
  });
}

async function createSlurmResubmitter(o: CreateResubmitterOptions): Promise<Resubmitter> {
  const remoteSnaptrail = o.remoteSnaptrail !== undefined && o.remoteSnaptrail !== "" ? [o.remoteSnaptrail] : undefined;
  const common = {
    collectorHttp: o.collectorHttp,
    ...(o.restoreDir !== undefined ? { restoreDir: o.restoreDir } : {}),
    ...(o.remoteEnv && Object.keys(o.remoteEnv).length > 0 ? { env: o.remoteEnv } : {}),
  };
  if (o.rest !== undefined) {
    const { SlurmrestdResubmitter } = await import("./slurm/slurmrestd-resubmitter.js");
    const user = o.restUser || o.env.USER || o.env.LOGNAME;
    if (!user) throw new ConfigError("slurmrestd needs a user name: give --rest-user");
    return new SlurmrestdResubmitter({ url: o.rest, user, token: o.restToken ?? "", snaptrail: remoteSnaptrail ?? ["snaptrail"], ...common });
  }
  let runner: CommandRunner;
  let snaptrail: string[];
  if (o.via !== undefined) {
    const { parseSshTarget } = await import("./ssh/ssh-target.js");
    const target = parseSshTarget(o.via);
    const ssh = o.ssh ?? {};
    runner = await createCommandRunner({
      via: "ssh",
      target,
      ...(ssh.identity !== undefined ? { identityFiles: [ssh.identity] } : {}),
      ...(ssh.knownHosts !== undefined ? { knownHostsFile: ssh.knownHosts } : {}),
      ...(ssh.trustNewHostKey ? { trustNewHostKey: true } : {}),
    });
    snaptrail = remoteSnaptrail ?? ["snaptrail"];
  } else if (o.local) {
    runner = await createCommandRunner({ via: "local", env: o.env });
    snaptrail = remoteSnaptrail ?? o.snaptrail;
  } else {
    throw new ConfigError(`${o.runId} is a Slurm run: say where to submit it: --via ssh://USER@HOST[:PORT] (sbatch on a login node), --local (sbatch here) or --rest URL (slurmrestd)`);
  }
  const { SbatchResubmitter } = await import("./slurm/sbatch-resubmitter.js");
  return new SbatchResubmitter(runner, { snaptrail, ...common });
}

async function createAirflowResubmitter(o: CreateResubmitterOptions): Promise<Resubmitter> {
  const flags = transportFlags(o);
  if (flags.length > 0) throw new BadInputError(`${o.runId} is an Airflow run: ${flags.join(" ")} is for Slurm runs; give --airflow URL (Airflow's API server)`);
  const a = o.airflow ?? {};
  const url = a.url || o.env.SNAPTRAIL_AIRFLOW_URL;
  if (!url) throw new ConfigError(`${o.runId} is an Airflow run: say where Airflow's API server is: --airflow http://HOST:PORT (env SNAPTRAIL_AIRFLOW_URL)`);
  const { AirflowResubmitter } = await import("./airflow/airflow-resubmitter.js");
  return new AirflowResubmitter({
    url,
    user: a.user || o.env.SNAPTRAIL_AIRFLOW_USER || "admin",
    password: a.password ?? o.env.SNAPTRAIL_AIRFLOW_PASSWORD ?? "",
    ...(a.conf !== undefined ? { extraConf: a.conf } : {}),
    findStepRun: a.findStepRun ?? (() => Promise.resolve(undefined)),
  });
}
