import { hostname } from "node:os";
import { errorMessage } from "../../core/errors.js";
import { resolveAgentOptions, type AgentOptions } from "../agent-options.js";
import type { CaptureResult } from "../capture/capture-types.js";
import { RunReporter } from "../report/run-reporter.js";
import { createSink, sinkSpecFor } from "../sinks/create-sink.js";
import { guardAgainstCrashes } from "./crash-guard.js";
import { runChild, type ChildOutcome } from "./run-child.js";

export interface WrapRequest {
  argv: string[];
  flags: Partial<Record<keyof AgentOptions, unknown>>;
  configFile?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** One line for the user; defaults to stderr. */
  warn?: (line: string) => void;
}

export interface WrapResult {
  child: ChildOutcome;
  runId: string | null;
  recorded: boolean;
}

/**
 * `snaptrail wrap`: fingerprint, run the command, report. Whatever goes wrong on snaptrail's
 * side becomes one warning line; the command always runs and its result is what counts.
 */
export async function wrap(request: WrapRequest): Promise<WrapResult> {
  const warn = request.warn ?? ((line: string) => process.stderr.write(`snaptrail: warning: ${line}\n`));
  guardAgainstCrashes(warn);
  let options: AgentOptions | undefined;
  try {
    options = resolveAgentOptions({ flags: request.flags, env: request.env, file: request.configFile });
  } catch (err) {
    warn(`${errorMessage(err)}; running the command without recording it`);
  }
  if (!options) return { child: await runChild(request.argv, request), runId: null, recorded: false };

  // Connecting overlaps with fingerprinting and the job itself.
  const reporter = new RunReporter(createSink(sinkSpecFor(options)));
  const capture = await safeCapture(request, options, warn);
  if (capture) {
    reporter.begin(capture, options.rollbackOf);
  }
  const child = await runChild(request.argv, request);
  if (child.startError) process.stderr.write(`snaptrail: ${child.startError}\n`);
  if (!capture) {
    await reporter.close();
    return { child, runId: null, recorded: false };
  }
  reporter.finished(capture.runId, {
    exitCode: child.exitCode ?? -1,
    signal: child.signal ?? "",
    durationMs: child.durationMs,
    error: child.startError ?? "",
  });
  const outcome = await reporter.flush(options.finishTimeoutMs);
  await reporter.close();
  if (!outcome.ok) warn(`run ${capture.runId} not recorded: ${outcome.error} (the command itself ran normally)`);
  return { child, runId: capture.runId, recorded: outcome.ok };
}

async function safeCapture(request: WrapRequest, options: AgentOptions, warn: (line: string) => void): Promise<CaptureResult | undefined> {
  try {
    const { captureSnapshot } = await import("../capture/capture-snapshot.js");
    return await captureSnapshot({
      argv: request.argv,
      cwd: request.cwd,
      env: request.env,
      python: options.python,
      codeDir: options.codeDir,
      maxArchiveBytes: options.maxArchiveBytes,
      envAllow: options.envAllow,
      envDeny: options.envDeny,
      cacheDir: options.cacheDir,
    });
  } catch (err) {
    // A bug in a fingerprinter must not cost the job its run.
    warn(`fingerprinting failed on ${hostname()}: ${errorMessage(err)}; running the command without recording it`);
    return undefined;
  }
}
