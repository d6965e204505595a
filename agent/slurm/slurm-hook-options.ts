import path from "node:path";
import { ConfigError } from "../../core/errors.js";
import { MAX_SCRIPT_BYTES } from "../../core/script-limits.js";

/** The hooks' own settings; every default is here. Agent options (collector, transport ...) are the usual SNAPTRAIL_* ones. */
export interface SlurmHookOptions {
  /** Each hook ends within this, whatever the network does (SNAPTRAIL_SLURM_TIMEOUT_MS). */
  timeoutMs: number;
  /** The one slurmctld call (`scontrol show job`) gets at most this much of timeoutMs (SNAPTRAIL_SLURM_SCONTROL_TIMEOUT_MS). */
  scontrolTimeoutMs: number;
  /** How long the background report of a job's Python may take before it spools (SNAPTRAIL_SLURM_PYTHON_REPORT_TIMEOUT_MS). */
  pythonReportTimeoutMs: number;
  /** Root's node-local folder: the prolog's and epilog's spool and log (SNAPTRAIL_SLURM_ROOT_DIR). */
  rootDir: string;
  /** The job user's node-local folder, "%u" standing for the uid (SNAPTRAIL_SLURM_USER_DIR). */
  userDirPattern: string;
  /** "0" turns every hook into a no-op that prints nothing (SNAPTRAIL_SLURM_HOOKS). */
  enabled: boolean;
  /** The script is recorded up to this size (SNAPTRAIL_SLURM_MAX_SCRIPT_BYTES). */
  maxScriptBytes: number;
}

export const SLURM_HOOK_DEFAULTS: SlurmHookOptions = {
  timeoutMs: 2000,
  scontrolTimeoutMs: 1000,
  pythonReportTimeoutMs: 10_000,
  rootDir: "/var/spool/snaptrail",
  // /tmp is node-local on clusters; home folders are often NFS (locks and fsync are not what they seem).
  userDirPattern: "/tmp/snaptrail-%u",
  enabled: true,
  maxScriptBytes: 1024 * 1024,
};

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name}="${raw}" must be a positive whole number`);
  return n;
}

function absolute(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  if (!path.isAbsolute(raw)) throw new ConfigError(`${name}="${raw}" must be an absolute path`);
  return raw;
}

/** The hooks' options from SNAPTRAIL_SLURM_* variables (the wrapper scripts set them), defaults otherwise. */
export function slurmHookOptions(env: NodeJS.ProcessEnv): SlurmHookOptions {
  const d = SLURM_HOOK_DEFAULTS;
  const timeoutMs = positive(env, "SNAPTRAIL_SLURM_TIMEOUT_MS", d.timeoutMs);
  return {
    timeoutMs,
    scontrolTimeoutMs: Math.min(positive(env, "SNAPTRAIL_SLURM_SCONTROL_TIMEOUT_MS", d.scontrolTimeoutMs), Math.floor(timeoutMs / 2)),
    pythonReportTimeoutMs: positive(env, "SNAPTRAIL_SLURM_PYTHON_REPORT_TIMEOUT_MS", d.pythonReportTimeoutMs),
    rootDir: absolute(env, "SNAPTRAIL_SLURM_ROOT_DIR", d.rootDir),
    userDirPattern: absolute(env, "SNAPTRAIL_SLURM_USER_DIR", d.userDirPattern),
    enabled: !["0", "false", "no", "off"].includes((env.SNAPTRAIL_SLURM_HOOKS ?? "").trim().toLowerCase()),
    // Never above what the collector takes: a larger script would get the whole run REJECTED,
    // where one left out of the record costs only the script (with a warning).
    maxScriptBytes: Math.min(positive(env, "SNAPTRAIL_SLURM_MAX_SCRIPT_BYTES", d.maxScriptBytes), MAX_SCRIPT_BYTES),
  };
}

/** The job user's folder for this uid. */
export function userDirFor(options: Pick<SlurmHookOptions, "userDirPattern">, uid: number): string {
  return options.userDirPattern.replace(/%u/g, String(uid));
}
