import path from "node:path";
import { NotFoundError } from "../../core/errors.js";
import { defaultCacheDir } from "../capture/fingerprint-cache.js";
import type { RestoreTarget } from "./restore-target.js";
import type { RestoreCodeResult } from "./code/restore-code.js";
import type { EnvironmentComparison, RebuildEnvironmentResult } from "./env/rebuild-environment.js";

/**
 * Where restores keep venvs and code trees: the folder given, else the per-user cache folder. Unlike
 * the fingerprint cache it cannot be turned off with "" (a rebuilt venv has to live somewhere).
 */
export function restoreCacheDir(given: string | undefined, env: NodeJS.ProcessEnv): string {
  return given || defaultCacheDir(env) || defaultCacheDir({ ...env, SNAPTRAIL_CACHE_DIR: undefined });
}

/** How the environment is restored: rebuilt in a cached venv, only compared, or the container image checked. */
export type EnvMode = "rebuild" | "verify" | "image" | "none";
export const ENV_MODES: readonly EnvMode[] = ["rebuild", "verify", "image", "none"];

export interface RestoreProgress {
  step: "code" | "environment";
  message: string;
  done?: number;
  total?: number;
}

export interface RestoreRequest {
  target: RestoreTarget;
  /** Where the code goes; undefined leaves the code alone (environment only). */
  into?: string;
  envMode: EnvMode;
  /** The interpreter to rebuild from (rebuild) or to compare (verify). */
  python?: string;
  /** Venvs are cached under it, keyed by environment digest. */
  cacheDir: string;
  /** Report differences without failing. */
  allowMismatch: boolean;
  fetchBlob: (digest: string) => Promise<Buffer>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The command that will run (`wrap --restore`): `verify` checks the interpreter it uses. */
  argv?: string[];
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreReport {
  runId: string | null;
  rollbackOf: string;
  codeDigest: string | null;
  environmentDigest: string | null;
  code: (RestoreCodeResult & { into: string }) | null;
  environment:
    | { mode: "rebuild"; venvDir: string; python: string; cached: boolean; installer: string; comparison: EnvironmentComparison }
    | { mode: "verify"; comparison: EnvironmentComparison }
    | { mode: "image"; matches: boolean; recorded: string; actual: string; reason?: string }
    | null;
  /** True when everything restored matches the snapshot. */
  matches: boolean;
}

type CodeReport = RestoreReport["code"];
type EnvironmentReport = RestoreReport["environment"];

/**
 * Code first (a rebuilt venv may install local packages from it), then the environment. Each
 * half verifies itself against the snapshot; a mismatch throws MISMATCH unless allowMismatch.
 */
export async function restoreSnapshot(req: RestoreRequest): Promise<RestoreReport> {
  const code = await restoreCodeStep(req);
  const environment = await restoreEnvironmentStep(req, code?.into);
  return reportOf(req.target, code, environment);
}

export function reportOf(target: RestoreTarget, code: CodeReport, environment: EnvironmentReport): RestoreReport {
  const matches = environment === null ? true : environment.mode === "image" ? environment.matches : environment.comparison.matches;
  return {
    runId: target.runId,
    rollbackOf: target.rollbackOf,
    codeDigest: target.codeDigest,
    environmentDigest: target.environmentDigest,
    code,
    environment,
    matches,
  };
}

/** The code into `req.into`, verified file by file; null when no folder was given. */
export async function restoreCodeStep(req: RestoreRequest): Promise<CodeReport> {
  const { target } = req;
  if (req.into === undefined) return null;
  if (!target.code) throw new NotFoundError(`${target.rollbackOf} has no code snapshot to restore into ${req.into}`);
  const into = path.resolve(req.cwd, req.into);
  const { restoreCode } = await import("./code/restore-code.js");
  req.onProgress?.({ step: "code", message: `restoring ${target.code.files.length} files into ${into}` });
  const code = target.code;
  const result = await restoreCode({
    code,
    into,
    archive: () => {
      if (code.archiveDigest === "") {
        throw new NotFoundError("the code archive was not recorded (it was over the size limit): only a clone holding the commit can be restored");
      }
      return req.fetchBlob(code.archiveDigest);
    },
  });
  return { ...result, into };
}

/** The environment as `req.envMode` says; `codeDir` holds restored code for local packages. */
export async function restoreEnvironmentStep(req: RestoreRequest, codeDir: string | undefined): Promise<EnvironmentReport> {
  const { target } = req;
  if (req.envMode === "none") return null;
  if (!target.environment || !target.environmentDigest) {
    throw new NotFoundError(`${target.rollbackOf} has no environment snapshot (use --env none to restore only the code)`);
  }
  const progress = (p: { message: string; done?: number; total?: number }): void => req.onProgress?.({ step: "environment", ...p });
  const python = req.python !== undefined ? { python: req.python } : {};
  if (req.envMode === "rebuild") {
    const { rebuildEnvironment } = await import("./env/rebuild-environment.js");
    const built: RebuildEnvironmentResult = await rebuildEnvironment({
      environment: target.environment,
      environmentDigest: target.environmentDigest,
      cacheDir: req.cacheDir,
      ...python,
      ...(codeDir !== undefined ? { codeDir } : {}),
      ...(target.code?.root ? { recordedCodeRoot: target.code.root } : {}),
      allowMismatch: req.allowMismatch,
      onProgress: progress,
      env: req.env,
    });
    return { mode: "rebuild", ...built };
  }
  if (req.envMode === "verify") {
    const { verifyEnvironment } = await import("./env/verify-environment.js");
    progress({ message: "comparing the current environment with the snapshot" });
    return { mode: "verify", comparison: await verifyEnvironment({ environment: target.environment, ...python, ...(req.argv ? { argv: req.argv } : {}), env: req.env, cwd: req.cwd }) };
  }
  const { verifyImage } = await import("./env/verify-image.js");
  progress({ message: "comparing the container image digest with the snapshot" });
  return { mode: "image", ...(await verifyImage({ environment: target.environment, env: req.env })) };
}
