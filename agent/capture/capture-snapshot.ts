import path from "node:path";
import type { CaptureWarning, EnvironmentSnapshot, OsInfo } from "../../core/model.js";
import { snapshotDigest } from "../../core/digest.js";
import { errorMessage } from "../../core/errors.js";
import { captureCode, type CodeCapture } from "../code/capture-code.js";
import { collectEnvVars } from "../env/collect-env-vars.js";
import { resolveRedactionSalt } from "../env/redaction-salt.js";
import { captureHost } from "../host/capture-host.js";
import { detectImage, type DetectedImage } from "../host/detect-container-image.js";
import { defaultCacheDir } from "./fingerprint-cache.js";
import { loadedModules } from "../host/loaded-modules.js";
import { readOsInfo } from "../host/read-os-info.js";
import { detectOrchestrator } from "../orchestrator/detect-orchestrator.js";
import { runConfigFor } from "../orchestrator/run-config-for.js";
import { parentRunIdFor, runIdFor } from "../orchestrator/run-id-for.js";
import { capturePython, emptyInterpreter, type PythonCapture } from "../python/capture-python.js";
import type { CaptureOptions, CaptureResult } from "./capture-types.js";

/** Runs one part of the capture; a throw (a bug) becomes a warning and the part's empty value. */
async function guarded<T>(source: string, warnings: CaptureWarning[], fallback: T, part: () => Promise<T>): Promise<T> {
  try {
    return await part();
  } catch (err) {
    warnings.push({ source, message: `${source} capture failed: ${errorMessage(err)}` });
    return fallback;
  }
}

function guardedSync<T>(source: string, warnings: CaptureWarning[], fallback: T, part: () => T): T {
  try {
    return part();
  } catch (err) {
    warnings.push({ source, message: `${source} capture failed: ${errorMessage(err)}` });
    return fallback;
  }
}

/**
 * Fingerprints what the command is about to run with: the Python interpreter and its packages,
 * the code, the host and its GPUs, the OS, container image, allow-listed env vars (secrets
 * redacted), the orchestrator's ids and the command line. The independent parts run at the same
 * time. It never throws for a bad environment: what could not be captured is named in
 * `warnings`, and the rest is still returned.
 */
export async function captureSnapshot(opts: CaptureOptions): Promise<CaptureResult> {
  const started = performance.now();
  const warnings: CaptureWarning[] = [];
  const env = opts.env;
  const cwd = path.resolve(opts.cwd);
  const redaction = opts.redactionSalt ? { salt: opts.redactionSalt.salt, source: opts.redactionSalt.source } : resolveRedactionSalt({}, env);
  const salt = redaction.salt;
  const cacheDir = opts.cacheDir ?? defaultCacheDir(env);
  let maxArchiveBytes = opts.maxArchiveBytes;
  if (!Number.isFinite(maxArchiveBytes) || maxArchiveBytes < 0) {
    warnings.push({ source: "code", message: `invalid maxArchiveBytes ${String(opts.maxArchiveBytes)}: the code archive is left out` });
    maxArchiveBytes = 0;
  }

  const partWarnings = { python: [] as CaptureWarning[], code: [] as CaptureWarning[], host: [] as CaptureWarning[], image: [] as CaptureWarning[] };
  const emptyOs: OsInfo = { id: "", versionId: "", prettyName: "", libc: "" };
  // Python first: without a fingerprint cache its probe is spawned before the git processes.
  const [python, code, host, os, image] = await Promise.all([
    guarded<PythonCapture>("python", partWarnings.python, { interpreter: emptyInterpreter(), packages: [], indexes: null, warnings: [] }, () =>
      capturePython({ argv: opts.argv, cwd, env, python: opts.python, cacheDir }),
    ),
    guarded<CodeCapture>("code", partWarnings.code, { code: null, archive: null, warnings: [], leftOutFingerprints: [] }, () =>
      opts.restoredCode
        ? Promise.resolve({ code: { ...opts.restoredCode.code, root: opts.restoredCode.root }, archive: null, warnings: [], leftOutFingerprints: [] })
        : captureCode(path.resolve(cwd, opts.codeDir ?? cwd), { env, maxArchiveBytes, salt, ...(opts.secretFiles ? { secretFiles: opts.secretFiles } : {}) }),
    ),
    guarded("host", partWarnings.host, null, () => captureHost(env, cwd)),
    guarded("host", partWarnings.host, emptyOs, () => readOsInfo(env)),
    guarded<DetectedImage>("image", partWarnings.image, { image: null, warnings: [] }, () => detectImage(env, { cacheDir })),
  ]);
  warnings.push(...python.warnings, ...partWarnings.python, ...code.warnings, ...partWarnings.code);
  warnings.push(...(host?.warnings ?? []), ...partWarnings.host, ...image.warnings, ...partWarnings.image);

  const envVars = guardedSync("env", warnings, [], () => collectEnvVars(env, opts.envAllow ?? [], salt, opts.envDeny ?? []));
  const modules = guardedSync("env", warnings, [], () => loadedModules(env));
  const orchestrator = guardedSync(
    "orchestrator",
    warnings,
    { kind: "LOCAL" as const, pipeline: "", pipelineRun: "", step: "", attempt: 0, attributes: {} },
    () => detectOrchestrator(env, { argv: opts.argv, cwd, gitTop: code.code?.root ?? null }),
  );
  const runId = guardedSync("orchestrator", warnings, `local:unknown/${Date.now()}`, () => runIdFor(orchestrator, env));
  const parentRunId = guardedSync("orchestrator", warnings, "", () => parentRunIdFor(orchestrator, env));
  const config = guardedSync("orchestrator", warnings, { argv: [], cwd, parameters: {}, script: "" }, () =>
    runConfigFor(orchestrator, opts.argv, cwd, env, salt),
  );

  const environment: EnvironmentSnapshot = {
    interpreter: python.interpreter,
    packages: python.packages,
    image: image.image,
    os,
    env: envVars,
    modules,
    indexes: python.indexes,
  };
  const hostSnapshot = host?.host ?? {
    hostname: "",
    arch: "",
    kernel: "",
    cpuModel: "",
    cpuCount: 0,
    memoryBytes: 0,
    gpus: [],
    cudaDriverVersion: "",
  };
  return {
    environment,
    host: hostSnapshot,
    code: code.code,
    archive: code.archive,
    leftOutFingerprints: code.leftOutFingerprints,
    redactionSaltSource: redaction.source,
    digests: {
      environment: snapshotDigest("environment", environment),
      host: snapshotDigest("host", hostSnapshot),
      code: code.code ? snapshotDigest("code", code.code) : null,
    },
    orchestrator,
    runId,
    parentRunId,
    config,
    warnings,
    captureMs: Math.round(performance.now() - started),
    pythonCache: python.cache ?? "off",
  };
}
