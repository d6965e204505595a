import type { RunDetail, RunDiff, RunSummary } from "../../core/api-types.js";
import type { BlobStore } from "../blobs/blob-store.js";
import { codeChanged, diffCode } from "./code-diff.js";
import { diffConfig, diffEnv, diffModules } from "../../core/diff/config-diff.js";
import { diffHost, diffImage, diffInterpreter, diffOs } from "../../core/diff/field-diff.js";
import { diffPackages } from "../../core/diff/package-diff.js";

/**
 * What changed from run `a` to run `b`: packages, interpreter, image, OS, host, code (with
 * patches read from the code archives in `blobs`), command and parameters, env vars and HPC
 * modules. Run ids, timestamps and exit status are not differences: they are in `a` and `b`.
 */
export async function diffRuns(a: RunDetail, b: RunDetail, blobs: BlobStore): Promise<RunDiff> {
  const ea = a.environment;
  const eb = b.environment;
  const diff: RunDiff = {
    a: toSummary(a),
    b: toSummary(b),
    identical: false,
    packages: diffPackages(ea?.packages ?? [], eb?.packages ?? []),
    interpreter: diffInterpreter(ea?.interpreter ?? null, eb?.interpreter ?? null),
    image: diffImage(ea?.image ?? null, eb?.image ?? null),
    os: diffOs(ea?.os ?? null, eb?.os ?? null),
    host: diffHost(a.host, b.host),
    code: await diffCode(a.code, b.code, blobs),
    config: diffConfig(a.config, b.config),
    env: diffEnv(ea?.env ?? [], eb?.env ?? []),
    modules: diffModules(ea?.modules ?? [], eb?.modules ?? []),
  };
  diff.identical = !hasDifferences(diff);
  return diff;
}

export function hasDifferences(d: RunDiff): boolean {
  const p = d.packages;
  return (
    p.added.length + p.removed.length + p.changed.length > 0 ||
    d.interpreter.length + d.image.length + d.os.length + d.host.length + d.config.length + d.env.length > 0 ||
    d.modules.added.length + d.modules.removed.length > 0 ||
    codeChanged(d.code)
  );
}

/** The RunSummary part of a RunDetail, without the snapshot bodies. */
export function toSummary(r: RunSummary): RunSummary {
  return {
    runId: r.runId,
    orchestrator: r.orchestrator,
    pipeline: r.pipeline,
    pipelineRun: r.pipelineRun,
    step: r.step,
    attempt: r.attempt,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: r.durationMs,
    exitCode: r.exitCode,
    signal: r.signal,
    hostname: r.hostname,
    environmentDigest: r.environmentDigest,
    hostDigest: r.hostDigest,
    codeDigest: r.codeDigest,
    gitCommit: r.gitCommit,
    rollbackOf: r.rollbackOf,
    cacheKey: r.cacheKey,
    cachedFrom: r.cachedFrom,
    parentRunId: r.parentRunId,
  };
}
