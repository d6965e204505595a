import { tokenOption } from "../../core/auth/resolve-api-token.js";
import { clientTlsOption } from "../../core/tls/client-tls.js";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { MismatchError, SnaptrailError } from "../../core/errors.js";
import type { AgentOptions } from "../agent-options.js";
import { detectOrchestrator } from "../orchestrator/detect-orchestrator.js";
import { isPythonExecutableName } from "../python/resolve-python.js";
import { describeDifferences } from "../restore/env/compare-environments.js";
import { parsePins, pinFor } from "../restore/parse-pins.js";
import { restoreCacheDir, restoreSnapshot, type RestoreReport } from "../restore/restore-snapshot.js";
import { resolveRestoreTarget } from "../restore/restore-target.js";
import type { CodeSnapshot } from "../../core/model.js";

/** What the wrapped command runs with after a restore. */
export interface RestoredJob {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The venv's interpreter, for the capture to fingerprint. */
  python: string | undefined;
  /** The code as restored and verified, recorded as the new run's code snapshot. */
  restoredCode: { code: CodeSnapshot; root: string } | undefined;
  rollbackOf: string;
  report: RestoreReport;
}

/**
 * The run or snapshot this wrapped step is pinned to: --restore / SNAPTRAIL_RESTORE, else this
 * step's entry in SNAPTRAIL_PIN; undefined when the step runs current code.
 */
export function restoreRefFor(options: Pick<AgentOptions, "restore" | "pin">, argv: string[], cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  if (options.restore !== undefined && options.restore.trim() !== "") return options.restore.trim();
  const pins = parsePins(options.pin);
  if (pins.size === 0) return undefined;
  const context = detectOrchestrator(env, { argv, cwd });
  return pinFor(pins, context.pipeline, context.step);
}

/**
 * Restores the code into a fresh folder and the environment into a cached venv, then points the
 * command at them: cwd at the recorded working directory inside the restored tree, PATH and
 * VIRTUAL_ENV at the venv, and an absolute interpreter or script path from the old run mapped
 * into the restored ones, so `python train.py` and `/old/venv/bin/python /old/repo/train.py`
 * both run the old code in the old environment.
 */
export async function restoreForWrap(ref: string, argv: string[], options: AgentOptions, env: NodeJS.ProcessEnv, cwd: string): Promise<RestoredJob> {
  const client = new CollectorHttpClient(options.collectorHttp, { timeoutMs: options.callTimeoutMs, ...tokenOption(options), ...clientTlsOption(options) });
  const target = await resolveRestoreTarget(ref, client);
  const cacheDir = restoreCacheDir(options.cacheDir, env);
  let into: string | undefined;
  if (target.code) {
    into = options.restoreInto !== undefined && options.restoreInto !== "" ? path.resolve(cwd, options.restoreInto) : await freshRestoreDir(cacheDir, target.codeDigest ?? "code");
  }
  const report = await restoreSnapshot({
    target,
    ...(into !== undefined ? { into } : {}),
    envMode: target.environment ? options.restoreEnv : "none",
    ...(options.python !== undefined ? { python: options.python } : {}),
    cacheDir,
    allowMismatch: false,
    fetchBlob: (digest) => client.getBlob(digest),
    env,
    cwd,
    argv,
  });

  // `verify` and `image` do not throw for a difference (it is their answer); a pinned job must
  // not run on an environment that is not the recorded one.
  const why = mismatchOf(report);
  if (why !== undefined) throw new MismatchError(why);

  const jobEnv: NodeJS.ProcessEnv = { ...env };
  let python: string | undefined;
  let newArgv = [...argv];
  const recordedRoot = target.code?.root ?? "";
  if (report.environment?.mode === "rebuild") {
    const bin = path.dirname(report.environment.python);
    jobEnv.VIRTUAL_ENV = report.environment.venvDir;
    jobEnv.PATH = `${bin}${path.delimiter}${env.PATH ?? ""}`;
    delete jobEnv.PYTHONHOME;
    python = report.environment.python;
    const first = newArgv[0];
    if (first !== undefined && path.isAbsolute(first) && isPythonExecutableName(path.basename(first))) newArgv[0] = python;
  }
  let jobCwd = cwd;
  if (report.code) {
    const root = report.code.into;
    newArgv = newArgv.map((arg, i) => (i > 0 ? mapIntoRoot(arg, recordedRoot, root) ?? arg : arg));
    jobCwd = (target.cwd !== null ? mapIntoRoot(target.cwd, recordedRoot, root) : undefined) ?? root;
  }
  return {
    argv: newArgv,
    cwd: jobCwd,
    env: jobEnv,
    python,
    restoredCode: report.code && target.code ? { code: target.code, root: report.code.into } : undefined,
    rollbackOf: target.rollbackOf,
    report,
  };
}

/** Where each restore for a wrapped job goes: a new folder, so a job never shares its tree with another. */
async function freshRestoreDir(cacheDir: string, codeDigest: string): Promise<string> {
  const parent = path.join(cacheDir, "restores");
  await mkdir(parent, { recursive: true });
  const hex = codeDigest.replace(/^sha256:/, "").slice(0, 16);
  return path.join(parent, `${hex}-${Date.now()}-${randomBytes(3).toString("hex")}`);
}

/** An absolute path inside the old run's code root, moved to the same place in the restored tree. */
function mapIntoRoot(arg: string, recordedRoot: string, restoredRoot: string): string | undefined {
  if (recordedRoot === "" || !path.isAbsolute(arg)) return undefined;
  const rel = path.relative(recordedRoot, arg);
  if (rel === "") return restoredRoot;
  if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return path.join(restoredRoot, rel);
}

function mismatchOf(report: RestoreReport): string | undefined {
  const env = report.environment;
  if (env === null || report.matches) return undefined;
  if (env.mode === "image") return `the container image ${env.actual || "(unknown)"} is not the recorded ${env.recorded || "(none)"}${env.reason ? `: ${env.reason}` : ""}`;
  return `the environment differs from the snapshot: ${describeDifferences(env.comparison).join("; ")}`;
}

export function describeRestoreFailure(ref: string, err: unknown): string {
  const why = err instanceof SnaptrailError || err instanceof Error ? err.message : String(err);
  return `restore of ${ref} failed: ${why}; the command was not run`;
}
