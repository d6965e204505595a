import { readFile } from "node:fs/promises";
import { createResubmitter, SUPPORTED_KINDS, type CreateResubmitterOptions } from "../adapters/create-resubmitter.js";
import type { CollectorOptions } from "../collector/collector-options.js";
import { RESUBMIT_AIRFLOW_SETTINGS, RESUBMIT_KFP_SETTINGS, RESUBMIT_SETTINGS, type CannotSubmit, type CollectorResubmitter } from "../collector/resubmit/collector-resubmitter.js";
import type { OrchestratorKind } from "../core/model.js";
import { fail } from "../core/result.js";
import { ConfigError, errorMessage, SnaptrailError } from "../core/errors.js";

/** This snaptrail as an argv prefix: a local dry run names the same version. */
function thisSnaptrail(): string[] {
  const script = process.argv[1];
  return script !== undefined && script !== process.execPath ? [process.execPath, script] : [process.execPath];
}

/** A secret's first line, read at each resubmission (so it can rotate), never logged. */
async function readSecretFile(file: string, setting: string): Promise<string> {
  try {
    return (await readFile(file, "utf8")).split("\n")[0]?.trim() ?? "";
  } catch (err) {
    throw new ConfigError(`cannot read ${setting} ${file}: ${errorMessage(err)}`, { cause: err });
  }
}

/**
 * The collector's resubmitter: the same factory as `snaptrail resubmit`, with the transport and
 * credentials from the collector's own settings (--resubmit-*). Slurm, Airflow and Kubeflow runs
 * are submitted when their settings are given; local runs only get their dry run (they re-run on
 * the machine they ran on, never on the collector).
 */
export function collectorResubmitter(options: CollectorOptions, env: NodeJS.ProcessEnv = process.env): CollectorResubmitter {
  const slurm = options.resubmitSlurmVia !== undefined || options.resubmitSlurmLocal;
  const airflow = options.resubmitAirflow !== undefined;
  const kfp = options.resubmitKfp !== undefined;
  const transport = async (kind: OrchestratorKind): Promise<Pick<CreateResubmitterOptions, "via" | "local" | "kfp" | "k8s" | "airflow">> => {
    switch (kind) {
      case "SLURM":
        return options.resubmitSlurmVia !== undefined ? { via: options.resubmitSlurmVia } : options.resubmitSlurmLocal ? { local: true } : {};
      case "AIRFLOW":
        return {
          airflow: {
            ...(options.resubmitAirflow !== undefined ? { url: options.resubmitAirflow } : {}),
            ...(options.resubmitAirflowUser !== undefined ? { user: options.resubmitAirflowUser } : {}),
            ...(options.resubmitAirflowPasswordFile !== undefined ? { password: await readSecretFile(options.resubmitAirflowPasswordFile, "resubmitAirflowPasswordFile") } : {}),
          },
        };
      case "KUBEFLOW":
        return options.resubmitKfp !== undefined && options.resubmitKfpTokenFile !== undefined
          ? { kfp: options.resubmitKfp, k8s: { kfpToken: await readSecretFile(options.resubmitKfpTokenFile, "resubmitKfpTokenFile") } }
          : {};
      default:
        return {};
    }
  };
  return {
    kinds: [...(slurm ? (["SLURM"] as const) : []), ...(airflow ? (["AIRFLOW"] as const) : []), ...(kfp ? (["KUBEFLOW"] as const) : [])],
    cannotSubmit(kind): CannotSubmit | undefined {
      if (kind === "SLURM") return slurm ? undefined : { code: "NOT_CONFIGURED", message: `this collector holds no Slurm credentials: start it with ${RESUBMIT_SETTINGS}` };
      if (kind === "AIRFLOW") return airflow ? undefined : { code: "NOT_CONFIGURED", message: `this collector holds no Airflow credentials: start it with ${RESUBMIT_AIRFLOW_SETTINGS}` };
      if (kind === "KUBEFLOW") return kfp ? undefined : { code: "NOT_CONFIGURED", message: `this collector holds no Kubeflow Pipelines credentials: start it with ${RESUBMIT_KFP_SETTINGS}` };
      if (kind === "LOCAL") return { code: "NOT_SUPPORTED", message: "a local run re-runs on the machine it ran on, not on the collector: run the command there" };
      const other: string = kind; // a kind from a newer agent
      return { code: "NOT_SUPPORTED", message: `resubmit supports ${SUPPORTED_KINDS.join(", ")} runs in this version, not ${other}` };
    },
    cliFlags(kind) {
      // The same submission from a shell: the flags, with the secrets' files, never the secrets.
      if (kind === "AIRFLOW" && airflow) {
        return [
          "--airflow",
          options.resubmitAirflow ?? "",
          ...(options.resubmitAirflowUser ? ["--airflow-user", options.resubmitAirflowUser] : []),
          ...(options.resubmitAirflowPasswordFile ? ["--airflow-password-file", options.resubmitAirflowPasswordFile] : []),
        ];
      }
      if (kind === "KUBEFLOW" && kfp) return ["--kfp", options.resubmitKfp ?? "", ...(options.resubmitKfpTokenFile ? ["--kfp-token-file", options.resubmitKfpTokenFile] : [])];
      if (kind !== "SLURM") return [];
      if (options.resubmitSlurmVia !== undefined) {
        return [
          "--via",
          options.resubmitSlurmVia,
          ...(options.resubmitSshIdentity ? ["--identity", options.resubmitSshIdentity] : []),
          ...(options.resubmitSshKnownHosts ? ["--known-hosts", options.resubmitSshKnownHosts] : []),
        ];
      }
      return options.resubmitSlurmLocal ? ["--local"] : [];
    },
    async resubmit(run, dryRun, collectorHttp) {
      let resubmitter;
      try {
        resubmitter = await createResubmitter({
          kind: run.orchestrator,
          runId: run.runId,
          ...(await transport(run.orchestrator)),
          snaptrail: thisSnaptrail(),
          ...(options.resubmitRemoteSnaptrail ? { remoteSnaptrail: options.resubmitRemoteSnaptrail } : {}),
          collectorHttp: options.resubmitClusterCollectorHttp ?? collectorHttp,
          ...(options.resubmitRestoreDir ? { restoreDir: options.resubmitRestoreDir } : {}),
          ssh: {
            ...(options.resubmitSshIdentity ? { identity: options.resubmitSshIdentity } : {}),
            ...(options.resubmitSshKnownHosts ? { knownHosts: options.resubmitSshKnownHosts } : {}),
          },
          env,
          stdoutToStderr: true,
        });
      } catch (err) {
        if (err instanceof SnaptrailError) return fail(err, false);
        throw err;
      }
      try {
        return await resubmitter.resubmit({ run, dryRun });
      } finally {
        await resubmitter.close();
      }
    },
  };
}
