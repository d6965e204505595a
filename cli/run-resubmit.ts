import { readFile } from "node:fs/promises";
import { createResubmitter } from "../adapters/create-resubmitter.js";
import type { Resubmission } from "../adapters/resubmitter.js";
import { CollectorHttpClient, resolveCollectorUrl } from "../core/collector-http-client.js";
import { clientEnv } from "./options/collector-http-option.js";
import { BadInputError, ConfigError, errorMessage } from "../core/errors.js";
import type { CliIo } from "./cli-io.js";
import { formatJson } from "./render/cli-output.js";

export interface RunResubmitFlags {
  via?: string;
  local?: boolean;
  rest?: string;
  kfp?: string;
  kfpTokenFile?: string;
  kubernetes?: boolean;
  kubeconfig?: string;
  namespace?: string;
  gres?: string;
  partition?: string;
  time?: string;
  step?: string;
  dryRun?: boolean;
  json?: boolean;
  identity?: string;
  knownHosts?: string;
  trustNewHostKey?: boolean;
  restUser?: string;
  restTokenFile?: string;
  remoteSnaptrail?: string;
  remoteEnv: string[];
  restoreDir?: string;
  clusterCollectorHttp?: string;
  collectorHttp?: string;
  tlsCa?: string;
  airflow?: string;
  airflowUser?: string;
  airflowPasswordFile?: string;
  conf?: string;
  inPlace?: boolean;
  downstream?: boolean;
}

function parseRemoteEnv(entries: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(entry);
    if (!m?.[1]) throw new BadInputError(`--remote-env ${JSON.stringify(entry)} is not NAME=VALUE`);
    env[m[1]] = m[2] ?? "";
  }
  return env;
}

async function restToken(flags: RunResubmitFlags, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (flags.rest === undefined) return undefined;
  if (flags.restTokenFile !== undefined) {
    try {
      return (await readFile(flags.restTokenFile, "utf8")).trim();
    } catch (err) {
      throw new ConfigError(`cannot read the slurmrestd token file ${flags.restTokenFile}: ${errorMessage(err)}`, { cause: err });
    }
  }
  // `scontrol token` prints SLURM_JWT=...; take the value whichever way it was pasted.
  return env.SLURM_JWT?.trim().replace(/^SLURM_JWT=/, "");
}

async function kfpToken(flags: RunResubmitFlags, env: NodeJS.ProcessEnv): Promise<string> {
  if (flags.kfpTokenFile !== undefined) {
    try {
      return (await readFile(flags.kfpTokenFile, "utf8")).trim();
    } catch (err) {
      throw new ConfigError(`cannot read the KFP token file ${flags.kfpTokenFile}: ${errorMessage(err)}`, { cause: err });
    }
  }
  return env.KFP_TOKEN?.trim() ?? "";
}

async function airflowPassword(flags: RunResubmitFlags): Promise<string | undefined> {
  if (flags.airflowPasswordFile === undefined) return undefined;
  try {
    return (await readFile(flags.airflowPasswordFile, "utf8")).split("\n")[0]?.trim() ?? "";
  } catch (err) {
    throw new ConfigError(`cannot read the Airflow password file ${flags.airflowPasswordFile}: ${errorMessage(err)}`, { cause: err });
  }
}

/** The recorded run of `taskId` in the same DAG run: its newest attempt. */
function stepRunFinder(client: CollectorHttpClient) {
  return async (dagId: string, dagRunId: string, taskId: string): Promise<string | undefined> => {
    const runs = await client.listRuns({ orchestrator: "AIRFLOW", pipeline: dagId, step: taskId, limit: 500 });
    return runs.filter((r) => r.pipelineRun === dagRunId).sort((a, b) => b.attempt - a.attempt)[0]?.runId;
  };
}

/** This snaptrail as an argv prefix: the re-run and a --local restore use the same version. */
function thisSnaptrail(): string[] {
  const script = process.argv[1];
  return script !== undefined && script !== process.execPath ? [process.execPath, script] : [process.execPath];
}

function render(runId: string, r: Resubmission, dryRun: boolean): string {
  if (dryRun) {
    const script = r.script !== undefined ? `# the script:\n${r.script}${r.script.endsWith("\n") ? "" : "\n"}` : "";
    return `# ${r.detail}\n# would run:\n${r.commands.join("\n")}\n${script}`;
  }
  if (r.exitCode !== undefined) return `${r.detail}\n`;
  const expected = r.expectedRunId !== undefined ? `expected run: ${r.expectedRunId} (rollback of ${runId})\n` : `rollback of ${runId}\n`;
  return `${r.detail}\njob id: ${r.externalId}\n${expected}`;
}

/**
 * `snaptrail resubmit`: the run from the collector, the adapter for its orchestrator from the one
 * factory, then the answer. An expected failure is thrown as the adapter's SnaptrailError.
 */
export async function runResubmit(runId: string, flags: RunResubmitFlags, io: CliIo): Promise<void> {
  const collectorHttp = resolveCollectorUrl(flags.collectorHttp, io.env);
  const client = new CollectorHttpClient(collectorHttp, { env: clientEnv(flags, io.env) });
  const run = await client.getRun(runId);
  if ((flags.inPlace || flags.downstream) && run.orchestrator !== "AIRFLOW") {
    throw new BadInputError(`${run.runId} is a ${run.orchestrator} run: --in-place and --downstream are for Airflow runs`);
  }
  const conf = flags.conf !== undefined ? (await import("../adapters/airflow/airflow-trigger.js")).parseExtraConf(flags.conf) : undefined;
  const password = await airflowPassword(flags);
  const resubmitter = await createResubmitter({
    kind: run.orchestrator,
    runId: run.runId,
    ...(flags.via !== undefined ? { via: flags.via } : {}),
    ...(flags.local ? { local: true } : {}),
    ...(flags.rest !== undefined ? { rest: flags.rest } : {}),
    ...(flags.kfp !== undefined ? { kfp: flags.kfp } : {}),
    ...(flags.kubernetes ? { kubernetes: true } : {}),
    k8s: {
      ...(flags.kfp !== undefined ? { kfpToken: await kfpToken(flags, io.env) } : {}),
      ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    },
    snaptrail: thisSnaptrail(),
    ...(flags.remoteSnaptrail !== undefined ? { remoteSnaptrail: flags.remoteSnaptrail } : {}),
    collectorHttp: flags.clusterCollectorHttp ?? collectorHttp,
    ...(flags.restoreDir !== undefined ? { restoreDir: flags.restoreDir } : {}),
    remoteEnv: parseRemoteEnv(flags.remoteEnv),
    ssh: {
      ...(flags.identity !== undefined ? { identity: flags.identity } : {}),
      ...(flags.knownHosts !== undefined ? { knownHosts: flags.knownHosts } : {}),
      ...(flags.trustNewHostKey ? { trustNewHostKey: true } : {}),
    },
    ...(flags.restUser !== undefined ? { restUser: flags.restUser } : {}),
    ...(flags.rest !== undefined ? { restToken: (await restToken(flags, io.env)) ?? "" } : {}),
    airflow: {
      ...(flags.airflow !== undefined ? { url: flags.airflow } : {}),
      ...(flags.airflowUser !== undefined ? { user: flags.airflowUser } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(conf !== undefined ? { conf } : {}),
      findStepRun: stepRunFinder(client),
    },
    env: io.env,
    ...(flags.json ? { stdoutToStderr: true } : {}),
  });
  try {
    const overrides = {
      ...(flags.gres !== undefined ? { gres: flags.gres } : {}),
      ...(flags.partition !== undefined ? { partition: flags.partition } : {}),
      ...(flags.time !== undefined ? { time: flags.time } : {}),
      ...(flags.step !== undefined ? { step: flags.step } : {}),
      ...(flags.inPlace ? { inPlace: true } : {}),
      ...(flags.downstream ? { downstream: true } : {}),
    };
    const result = await resubmitter.resubmit({ run, dryRun: flags.dryRun === true, overrides });
    if (!result.ok) throw result.error;
    const r = result.value;
    if (flags.json) {
      io.stdout.write(
        formatJson({
          rollbackOf: run.runId,
          orchestrator: run.orchestrator,
          dryRun: flags.dryRun === true,
          jobId: r.externalId === "" ? null : r.externalId,
          expectedRunId: r.expectedRunId ?? null,
          detail: r.detail,
          commands: r.commands,
          script: r.script ?? null,
          ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
        }),
      );
    } else io.stdout.write(render(run.runId, r, flags.dryRun === true));
    if (r.exitCode !== undefined && r.exitCode !== 0) process.exitCode = r.exitCode;
  } finally {
    await resubmitter.close();
  }
}
