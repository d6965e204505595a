import type { RunDetail } from "../../core/api-types.js";
import { BadInputError } from "../../core/errors.js";
import { shellJoin, shellQuote } from "../../core/diff/shell-quote.js";
import type { ResubmitOverrides } from "../resubmitter.js";
import { mapPaths, type PathMapping } from "./map-paths.js";

/**
 * The sbatch long options a resubmit carries over from the recorded job, in the order they are
 * passed. An allow list, not "every recorded key": a stored parameter named `wrap`, `export` or
 * `uid` would otherwise change what runs or as whom.
 */
export const SBATCH_OPTIONS = [
  "job-name",
  "partition",
  "account",
  "qos",
  "reservation",
  "nodes",
  "ntasks",
  "ntasks-per-node",
  "cpus-per-task",
  "mem",
  "mem-per-cpu",
  "mem-per-gpu",
  "gres",
  "gpus",
  "gpus-per-node",
  "gpus-per-task",
  "cpus-per-gpu",
  "constraint",
  "time",
  "chdir",
  "output",
  "error",
] as const;

export type SbatchOption = (typeof SBATCH_OPTIONS)[number];

/** Where the restore on the cluster puts the old code and venv, and the command that does it. */
export interface RestorePlan {
  /** `snaptrail restore ...` arguments after the snaptrail command itself. */
  args: string[];
  /** Recorded code root and venv prefix -> their restored copies. */
  mappings: PathMapping[];
  codeInto: string | undefined;
  venvDir: string | undefined;
}

export interface RestorePlanInput {
  run: RunDetail;
  /** An absolute folder on the cluster; each resubmit gets `<dir>/<stamp>/code`, venvs are cached in `<dir>/cache`. */
  dir: string;
  /** Unique per resubmit (a time stamp), so a restore never lands in a folder that is in use. */
  stamp: string;
  /** The collector's HTTP address as seen from the cluster. */
  collectorHttp: string;
}

/**
 * The restore that brings back a run's code and venv before its script runs, with paths fixed in
 * advance (the venv cache is keyed by the environment digest), so the script can be rewritten
 * before the restore has run (a dry run, or slurmrestd where the restore is the script's first
 * step). Undefined when the run recorded neither code nor environment.
 */
export function planRestore(input: RestorePlanInput): RestorePlan | undefined {
  const { run } = input;
  if (!input.dir.startsWith("/")) throw new BadInputError(`the restore folder must be an absolute path on the cluster (got ${JSON.stringify(input.dir)})`);
  const base = input.dir.replace(/\/+$/, "");
  const codeInto = run.code && run.codeDigest ? `${base}/${input.stamp}/code` : undefined;
  const cacheDir = `${base}/cache`;
  const env = run.environment && run.environmentDigest ? run.environment : undefined;
  if (!codeInto && !env) return undefined;
  const venvDir = env && run.environmentDigest ? `${cacheDir}/venvs/${run.environmentDigest.replace(/^sha256:/, "")}` : undefined;
  const mappings: PathMapping[] = [];
  if (codeInto && run.code?.root) mappings.push({ from: run.code.root, to: codeInto });
  // Only a venv's prefix is mapped: a job on the system Python has prefix /usr, and rewriting
  // /usr throughout the script would break it.
  const interp = env?.interpreter;
  if (venvDir && interp && interp.prefix && interp.prefix !== interp.basePrefix) mappings.push({ from: interp.prefix, to: venvDir });
  const args = [
    "restore",
    run.runId,
    ...(codeInto ? ["--into", codeInto] : []),
    "--env",
    env ? "rebuild" : "none",
    "--cache-dir",
    cacheDir,
    "--collector-http",
    input.collectorHttp,
    "--json",
  ];
  return { args, mappings, codeInto, venvDir };
}

export interface SlurmSubmissionInput {
  run: RunDetail;
  overrides?: ResubmitOverrides;
  restore?: RestorePlan;
  /** Variables the job gets on top of the submitter's own (sbatch --export=ALL,...). */
  exports?: Record<string, string>;
}

export interface SlurmSubmission {
  /** The recorded script with the recorded code root and venv mapped to their restored copies. */
  script: string;
  /** The sbatch options, recorded then overridden, in SBATCH_OPTIONS order (chdir mapped too). */
  resources: Array<[SbatchOption, string]>;
  /** What the job gets in its environment besides the submitter's. */
  exports: Record<string, string>;
  /** sbatch's arguments (after "sbatch"); the script goes on stdin. */
  sbatchArgs: string[];
  /** The working directory the job runs in: the recorded one, mapped into the restored code. */
  workDir: string | undefined;
  /** The recorded working directory, before mapping. */
  recordedWorkDir: string | undefined;
}

function checkValue(name: string, value: string): void {
  if (/[\n\r\0]/.test(value)) throw new BadInputError(`the ${name} ${JSON.stringify(value)} holds a line break or NUL, which sbatch cannot take`);
}

/**
 * The recorded job, rebuilt as an sbatch submission: the stored script exactly as submitted
 * (paths of the old code and venv mapped to their restored copies), the recorded resources with
 * the overrides on top, and the rollback marker for the new run. Pure: nothing here runs or
 * quotes for a shell; every value travels as one argv element.
 */
export function buildSlurmSubmission(input: SlurmSubmissionInput): SlurmSubmission {
  const { run } = input;
  const recordedScript = run.config?.script ?? "";
  if (recordedScript === "") {
    throw new BadInputError(
      `${run.runId} has no stored batch script, so there is nothing to resubmit (was the job recorded by the Slurm hooks of deploy/slurm? a step recorded only by \`snaptrail wrap\` keeps no script)`,
    );
  }
  if (input.overrides?.step !== undefined) {
    throw new BadInputError(`${run.runId} is a Slurm job, resubmitted whole: --step picks a step of an Airflow or Kubeflow run`);
  }
  const mappings = input.restore?.mappings ?? [];
  const params = run.config?.parameters ?? {};
  const chosen = new Map<SbatchOption, string>();
  for (const name of SBATCH_OPTIONS) {
    const value = params[name];
    if (value !== undefined && value !== "") chosen.set(name, value);
  }
  // The agent's own record (wrap inside a job) keeps the limit in minutes as time-limit.
  const minutes = params["time-limit"];
  if (!chosen.has("time") && minutes !== undefined && /^\d+$/.test(minutes)) chosen.set("time", minutes);
  const { gres, partition, time } = input.overrides ?? {};
  if (gres !== undefined) chosen.set("gres", gres);
  if (partition !== undefined) chosen.set("partition", partition);
  if (time !== undefined) chosen.set("time", time);
  const recordedDir = chosen.get("chdir") ?? (run.config?.cwd || undefined);
  const workDir = recordedDir !== undefined ? mapPaths(recordedDir, mappings) : undefined;
  if (workDir !== undefined) chosen.set("chdir", workDir);

  const exports: Record<string, string> = { SNAPTRAIL_ROLLBACK_OF: run.runId, ...input.exports };
  for (const [name, value] of Object.entries(exports)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new BadInputError(`${JSON.stringify(name)} is not an environment variable name`);
    // sbatch splits --export on commas; a value with one cannot travel that way.
    if (value.includes(",")) throw new BadInputError(`${name}=${JSON.stringify(value)} holds a comma, which sbatch --export cannot carry`);
    checkValue(name, value);
  }
  const resources = SBATCH_OPTIONS.filter((name) => chosen.has(name)).map((name): [SbatchOption, string] => [name, chosen.get(name) ?? ""]);
  for (const [name, value] of resources) checkValue(`--${name}`, value);
  const sbatchArgs = [
    "--parsable",
    ...resources.map(([name, value]) => `--${name}=${value}`),
    `--export=${["ALL", ...Object.entries(exports).map(([n, v]) => `${n}=${v}`)].join(",")}`,
  ];
  return { script: mapPaths(recordedScript, mappings), resources, exports, sbatchArgs, workDir, recordedWorkDir: recordedDir };
}

/**
 * The script with the restore as its first step, for slurmrestd, which runs no command before the
 * job: inserted after the shebang and the leading comment block, so the #SBATCH lines still count.
 * The job starts in a folder that exists before the restore (Slurm opens its output files there);
 * `cdTo`, the working directory inside the restored code, is entered once the restore is done.
 */
export function withRestorePreamble(script: string, restoreArgv: readonly string[], runId: string, cdTo?: string): string {
  const lines = script.split("\n");
  let at = lines[0]?.startsWith("#!") ? 1 : 0;
  while (at < lines.length && /^\s*(#.*)?$/.test(lines[at] ?? "")) at++;
  const failure = `snaptrail: restoring ${runId} failed, so this rollback stops before running anything`;
  const preamble = [
    `# snaptrail resubmit: bring back the code and Python environment of ${runId.replace(/\n/g, " ")} first`,
    `${shellJoin(restoreArgv)} >&2 || { echo ${shellQuote(failure)} >&2; exit 1; }`,
    ...(cdTo !== undefined ? [`cd ${shellQuote(cdTo)} || exit 1`] : []),
  ];
  return [...lines.slice(0, at), ...preamble, ...lines.slice(at)].join("\n");
}
