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
}

export interface SshFlags {
  identity?: string;
  knownHosts?: string;
  trustNewHostKey?: boolean;
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
  env: NodeJS.ProcessEnv;
  /** Local re-runs write their stdout to stderr (`--json` keeps stdout). */
  stdoutToStderr?: boolean;
}

export const SUPPORTED_KINDS: readonly OrchestratorKind[] = ["SLURM", "LOCAL"];

function transportFlags(o: ResubmitTransport): string[] {
  return [...(o.via !== undefined ? ["--via"] : []), ...(o.local ? ["--local"] : []), ...(o.rest !== undefined ? ["--rest"] : [])];
}

/**
 * THE factory: a run's orchestrator kind and the transport flags -> the Resubmitter that sends it
 * back. Each adapter and its heavy modules (ssh2) load only when chosen. Airflow and Kubeflow
 * plug in here.
 */
export async function createResubmitter(o: CreateResubmitterOptions): Promise<Resubmitter> {
  const flags = transportFlags(o);
  if (flags.length > 1) throw new ConfigError(`${flags.join(" and ")} exclude each other: say one way to submit`);
  switch (o.kind) {
    case "LOCAL": {
      if (o.via !== undefined || o.rest !== undefined) {
        throw new BadInputError(`${o.runId} is a local run, not a Slurm run: it is re-run on this machine, so ${flags.join(" ")} does not apply (drop it, or pick a Slurm run)`);
      }
      const { LocalResubmitter } = await import("./local/local-resubmitter.js");
      return new LocalResubmitter({ snaptrail: o.snaptrail, collectorHttp: o.collectorHttp, env: o.env, ...(o.stdoutToStderr ? { stdoutToStderr: true } : {}) });
    }
    case "SLURM":
      return createSlurmResubmitter(o);
    default:
      throw new BadInputError(
        `${o.runId} is a${o.kind === "AIRFLOW" ? "n" : ""} ${o.kind} run; resubmit supports ${SUPPORTED_KINDS.join(" and ")} runs in this version (${o.kind} comes later)`,
      );
  }
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
