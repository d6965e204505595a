import { tokenOption } from "../../core/auth/resolve-api-token.js";
import { clientTlsOption } from "../../core/tls/client-tls.js";
import { performance } from "node:perf_hooks";
import type { CacheHit } from "../../core/api-types.js";
import { errorMessage } from "../../core/errors.js";
import type { OutputFile } from "../../core/model.js";
import type { AgentOptions } from "../agent-options.js";
import type { CaptureResult } from "../capture/capture-types.js";
import type { RunLinks } from "../report/build-events.js";
import type { Cutoff } from "../sinks/cutoff.js";
import type { EventSink } from "../sinks/event-sink.js";
import type { ChildOutcome } from "../wrap/run-child.js";
import { collectOutputs, toOutputFiles } from "./collect-outputs.js";

export interface OutputsContext {
  options: AgentOptions;
  capture: CaptureResult;
  cwd: string;
  sink: EventSink;
  cutoff: Cutoff;
  warn: (line: string) => void;
  /** Where cache hits' notice goes (stderr). */
  notice?: (line: string) => void;
}

/** What `wrap --output/--cache` adds to a run: links for its start, maybe a hit, outputs for its finish. */
export interface OutputsPlan {
  links: Pick<RunLinks, "cacheKey" | "cachedFrom">;
  /** Set on a cache hit: the outputs are restored and the command must not run. */
  hit?: { runId: string; child: ChildOutcome };
  /** After the command (or the hit): the outputs the finish reports. Never throws. */
  finish(child: ChildOutcome): Promise<OutputFile[]>;
}

/**
 * Before the command: with --cache, the key, a lookup, and on a hit the restored outputs. A
 * miss of any kind (no hit, collector away, a blob that fails its check) runs the command.
 * Never throws: anything wrong is a warning and the job runs as it would without snaptrail.
 */
export async function planOutputs(ctx: OutputsContext): Promise<OutputsPlan> {
  const { options } = ctx;
  const record = (child: ChildOutcome, cacheKey: string | undefined): Promise<OutputFile[]> =>
    finishOutputs(ctx, child, cacheKey).catch((err: unknown) => {
      ctx.warn(`outputs not recorded: ${errorMessage(err)}`);
      return [];
    });
  if (!options.cache) return { links: {}, finish: (child) => record(child, undefined) };
  if (options.outputs.length === 0) {
    // A hit would skip the command and restore nothing: only side effects, which a cache must not skip.
    ctx.warn("not cached: --cache needs at least one --output (SNAPTRAIL_OUTPUTS); running the command");
    return { links: {}, finish: (child) => record(child, undefined) };
  }
  const started = performance.now();
  let cacheKey: string | undefined;
  try {
    const { cacheKeyFor } = await import("../cache/cache-key.js");
    const key = await cacheKeyFor(ctx.capture, ctx.cwd, options.inputs, options.outputs);
    if (!key.ok) {
      ctx.warn(`not cached: ${key.reason}`);
      return { links: {}, finish: (child) => record(child, undefined) };
    }
    for (const w of key.warnings) ctx.warn(w);
    cacheKey = key.key;
    const hit = await lookUp(ctx, cacheKey);
    if (hit) {
      (ctx.notice ?? ((line: string) => process.stderr.write(`${line}\n`)))(`snaptrail: cache hit: outputs restored from run ${hit.run.runId}; command skipped`);
      const child: ChildOutcome = { exitCode: 0, signal: null, durationMs: Math.round(performance.now() - started) };
      const outputs = hit.outputs.map((o) => ({ path: o.path, digest: o.digest, size: Number(o.size), mode: o.mode, stored: true }));
      return { links: { cacheKey, cachedFrom: hit.run.runId }, hit: { runId: hit.run.runId, child }, finish: () => Promise.resolve(outputs) };
    }
  } catch (err) {
    ctx.warn(`cache lookup failed: ${errorMessage(err)}; running the command`);
  }
  const key = cacheKey;
  return { links: key ? { cacheKey: key } : {}, finish: (child) => record(child, key) };
}

/** A hit whose outputs are now in place, or undefined (a miss, said in one warning when it is not a plain miss). */
async function lookUp(ctx: OutputsContext, cacheKey: string): Promise<CacheHit | undefined> {
  const { CollectorHttpClient } = await import("../../core/collector-http-client.js");
  const client = new CollectorHttpClient(ctx.options.collectorHttp, { timeoutMs: ctx.options.callTimeoutMs, ...tokenOption(ctx.options), ...clientTlsOption(ctx.options) });
  let hit: CacheHit | undefined;
  try {
    hit = await client.getCacheHit(cacheKey);
  } catch (err) {
    ctx.warn(`cache lookup failed: ${errorMessage(err)}; running the command`);
    return undefined;
  }
  // A run id reused for this run (the same orchestrator try again) must not become its own source.
  if (!hit || hit.run.runId === ctx.capture.runId) return undefined;
  try {
    const { restoreOutputs } = await import("../cache/restore-outputs.js");
    await restoreOutputs(hit, ctx.cwd, ctx.options.outputs, client);
    return hit;
  } catch (err) {
    ctx.warn(`cache hit on run ${hit.run.runId} not used: ${errorMessage(err)}; running the command`);
    return undefined;
  }
}

async function finishOutputs(ctx: OutputsContext, child: ChildOutcome, cacheKey: string | undefined): Promise<OutputFile[]> {
  const { options } = ctx;
  if (options.outputs.length === 0 && cacheKey === undefined) return [];
  const collected = await collectOutputs(options.outputs, ctx.cwd, options.outputHashTimeoutMs);
  for (const w of collected.warnings) ctx.warn(w);
  const succeeded = child.exitCode === 0 && !child.signal && !child.startError;
  if (cacheKey === undefined || !succeeded) return toOutputFiles(collected.outputs);
  if (!collected.complete) {
    ctx.warn("not cached: not every declared output was recorded");
    return toOutputFiles(collected.outputs);
  }
  // The job waits for its outputs to upload, up to cacheUploadTimeoutMs; past it they go to the spool.
  ctx.cutoff.set(Date.now() + options.cacheUploadTimeoutMs, `outputs not uploaded within ${options.cacheUploadTimeoutMs} ms (cacheUploadTimeoutMs)`);
  try {
    const { uploadOutputs } = await import("../cache/upload-outputs.js");
    const uploaded = await uploadOutputs(collected.outputs, ctx.sink, options.maxCacheOutputBytes);
    for (const w of uploaded.warnings) ctx.warn(w);
    return toOutputFiles(uploaded.outputs);
  } catch (err) {
    ctx.warn(`outputs not cached: ${errorMessage(err)}`);
    return toOutputFiles(collected.outputs);
  }
}
