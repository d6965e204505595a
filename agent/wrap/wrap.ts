import { hostname } from "node:os";
import { errorMessage } from "../../core/errors.js";
import { resolveAgentOptions, type AgentOptions } from "../agent-options.js";
import type { CaptureResult } from "../capture/capture-types.js";
import { captureOptionsFor } from "../capture/capture-options-for.js";
import { RunReporter } from "../report/run-reporter.js";
import { createAgentSink } from "../sinks/agent-sink.js";
import { BackgroundReplay } from "./background-replay.js";
import { guardAgainstCrashes } from "./crash-guard.js";
import { deliveryWarning } from "./delivery-warning.js";
import { runChild, type ChildOutcome } from "./run-child.js";

export interface WrapRequest {
  argv: string[];
  flags: Partial<Record<keyof AgentOptions, unknown>>;
  configFile?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** One line for the user; defaults to stderr. */
  warn?: (line: string) => void;
  /** The snaptrail CLI's entry point, to start `spool flush` in the background; none: no flush. */
  cli?: string;
}

export interface WrapResult {
  child: ChildOutcome;
  runId: string | null;
  /** Every event acked by the collector (not spooled, not lost). */
  recorded: boolean;
}

/**
 * After the network cutoff, how long the spool may take to write what was not acked before the
 * agent gives up on it too: a local fsync takes milliseconds, a hung NFS home folder forever.
 */
const SPOOL_WRITE_GRACE_MS = 2000;

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
  const agent = createAgentSink(options, request.env);
  const reporter = new RunReporter(agent.sink);
  const capture = await safeCapture(request, options, warn);
  const replay = new BackgroundReplay(agent);
  if (capture) {
    // Once the collector has acked this run's start it is up: send what earlier runs spooled,
    // while the job runs. The replay stops when the job ends; it never delays the job's exit
    // (what it left is sent by a background flush, below).
    void reporter.begin(capture, options.rollbackOf === undefined ? {} : { rollbackOf: options.rollbackOf }).then((acked) => (acked ? replay.start() : undefined));
  }
  const child = await runChild(request.argv, request);
  replay.stop();
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
    outputs: [],
  });
  agent.cutoff.set(Date.now() + options.finishTimeoutMs, `no acknowledgement within ${options.finishTimeoutMs} ms of the command's end (finishTimeoutMs)`);
  const outcome = await reporter.flush(options.finishTimeoutMs + SPOOL_WRITE_GRACE_MS);
  await reporter.close();
  const line = deliveryWarning(capture.runId, outcome, agent.sink.summary(), options.maxSpoolBytes);
  if (line) warn(line);
  if (agent.spool && request.cli && outcome.acked > 0 && outcome.spooled === 0) {
    const { flushInBackground } = await import("./background-flush.js");
    await flushInBackground(agent.spool, options, request.cli, request.env);
  }
  return { child, runId: capture.runId, recorded: outcome.acked > 0 && outcome.spooled === 0 && outcome.lost === 0 };
}

async function safeCapture(request: WrapRequest, options: AgentOptions, warn: (line: string) => void): Promise<CaptureResult | undefined> {
  try {
    const { captureSnapshot } = await import("../capture/capture-snapshot.js");
    return await captureSnapshot(captureOptionsFor(options, request.argv, request.cwd, request.env));
  } catch (err) {
    // A bug in a fingerprinter must not cost the job its run.
    warn(`fingerprinting failed on ${hostname()}: ${errorMessage(err)}; running the command without recording it`);
    return undefined;
  }
}
