import type { EnvVar } from "../../core/model.js";
import { isSecretName, redactNamedValue } from "./redact.js";

/**
 * Variables that change what an ML job computes or which software it loads. Names ending in "*"
 * are prefixes. Per-job values (SLURM_JOB_ID, CUDA_VISIBLE_DEVICES, AIRFLOW_CTX_*, ranks and
 * ports) are left out on purpose: they belong to the orchestrator context and the host, and
 * recording them here would give every task its own environment snapshot.
 */
export const DEFAULT_ENV_ALLOW: readonly string[] = [
  "PATH",
  "PYTHONPATH",
  "PYTHONHASHSEED",
  "PYTHONNOUSERSITE",
  "VIRTUAL_ENV",
  "CONDA_PREFIX",
  "CONDA_DEFAULT_ENV",
  "LD_LIBRARY_PATH",
  "LD_PRELOAD",
  "LANG",
  "LC_ALL",
  "TZ",
  "OMP_NUM_THREADS",
  "MKL_*",
  "OPENBLAS_*",
  "CUDA_HOME",
  "CUDA_PATH",
  "NCCL_*",
  "TORCH_*",
  "HF_*",
  "TRANSFORMERS_*",
  "TOKENIZERS_*",
  "PIP_INDEX_URL",
  "PIP_EXTRA_INDEX_URL",
  "UV_*",
  "JAX_*",
  "XLA_*",
  "TF_*",
  "WANDB_MODE",
  "MLFLOW_TRACKING_URI",
  "SNAPTRAIL_*",
];

/**
 * SNAPTRAIL_* variables that are never recorded: the run's identity (it is in the orchestrator
 * context and would split identical environments) and the redaction salt. Secret-named ones
 * (SNAPTRAIL_TOKEN) are left out too, not just redacted.
 */
const SNAPTRAIL_EXCLUDED = new Set([
  "SNAPTRAIL_RUN_ID",
  "SNAPTRAIL_PIPELINE",
  "SNAPTRAIL_STEP",
  "SNAPTRAIL_REDACT_SALT",
  "SNAPTRAIL_REDACTION_SALT",
  "SNAPTRAIL_REDACTION_SALT_FILE",
]);

export type EnvNameMatcher = (name: string) => boolean;

/** A matcher for names and glob patterns ("NCCL_*", "*_HOME"); "*" matches any run of characters. */
export function envNameMatcher(patterns: readonly string[]): EnvNameMatcher {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const p of patterns) {
    const trimmed = p.trim();
    if (trimmed === "") continue;
    if (!trimmed.includes("*")) exact.add(trimmed);
    else globs.push(new RegExp(`^${trimmed.split("*").map(escapeRegExp).join(".*")}$`));
  }
  return (name) => exact.has(name) || globs.some((g) => g.test(name));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The allow-listed variables of `env` (the default list plus `extraAllow`) that no `deny`
 * pattern names, secrets redacted, sorted by name. Deny wins over allow: a site can keep
 * `MLFLOW_TRACKING_URI` or every `HF_*` out of its snapshots even though they are on the default
 * list.
 */
export function collectEnvVars(env: NodeJS.ProcessEnv, extraAllow: readonly string[], salt: string, deny: readonly string[] = []): EnvVar[] {
  const defaults = envNameMatcher(DEFAULT_ENV_ALLOW);
  const extra = envNameMatcher(extraAllow);
  const denied = envNameMatcher(deny);
  const out: EnvVar[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || denied(name)) continue;
    const explicitlyAllowed = extra(name);
    if (!explicitlyAllowed) {
      if (!defaults(name)) continue;
      if (name.startsWith("SNAPTRAIL_") && (SNAPTRAIL_EXCLUDED.has(name) || isSecretName(name))) continue;
    }
    const r = redactNamedValue(name, value, salt);
    out.push({ name, value: r.value, redacted: r.redacted });
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
