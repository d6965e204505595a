import { hostname } from "node:os";
import { errorMessage } from "../../core/errors.js";
import { resolveAgentOptions, type AgentOptions } from "../agent-options.js";
import type { CaptureResult } from "../capture/capture-types.js";
import { captureOptionsFor } from "../capture/capture-options-for.js";
import { outputsHook } from "../outputs/outputs-hook.js";
import { RunReporter } from "../report/run-reporter.js";
import { createAgentSink } from "../sinks/agent-sink.js";
import { BackgroundReplay } from "./background-replay.js";
import { guardAgainstCrashes } from "./crash-guard.js";
import { deliveryWarning } from "./delivery-warning.js";
import type { RestoredJob } from "./restore-for-wrap.js";
import { runChild, type ChildOutcome } from "./run-child.js";
import { secretWarnings } from "./secret-warnings.js";

export interface WrapRequest {
  argv: string[];
  flags: Partial<Record<keyof AgentOptions, unknown>>;
  configFile?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** One line for the user; defaults to stderr. */
  warn?: (line: string) => void;
  /** One informational line (what a restore did); defaults to stderr. */
  note?: (line: string) => void;
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
  let agent: ReturnType<typeof createAgentSink> | undefined;
  try {
    options = resolveAgentOptions({ flags: request.flags, env: request.env, file: request.configFile });
    // Connecting overlaps with restoring, fingerprinting and the job itself. Credentials that
    // cannot be read (a token or NATS password file) are a config error like any other.
    agent = createAgentSink(options, request.env);
  } catch (err) {
    warn(`${errorMessage(err)}; running the command without recording it`);
  }
  if (!options || !agent) return { child: await runChild(request.argv, request), runId: null, recorded: false };
  const agentOptions: AgentOptions = options;
  const agentSink = agent;
  const reporter = new RunReporter(agent.sink);
  const job = await restoreIfPinned(request, options, request.note ?? ((line: string) => process.stderr.write(`snaptrail: ${line}\n`)));
  const capture = await safeCapture(job.request, options, warn, job.restored);
  if (capture) for (const line of secretWarnings(capture, options, job.request.env)) warn(line);
  const replay = new BackgroundReplay(agent);
  const rollbackOf = job.restored?.rollbackOf ?? job.ref ?? options.rollbackOf;
  const outputs = capture && !job.failure ? await outputsHook(options, capture, job.request.cwd, agent, warn) : undefined;
  if (capture) {
    // Once the collector has acked this run's start it is up: send what earlier runs spooled,
    // while the job runs. The replay stops when the job ends; it never delays the job's exit
    // (what it left is sent by a background flush, below).
    const links = { ...(rollbackOf === undefined ? {} : { rollbackOf }), ...outputs?.links };
    void reporter.begin(capture, links).then((acked) => (acked ? replay.start() : undefined));
  }
  // A pinned step that could not be restored does not run: current code under a rollback's
  // name would be a lie in the audit record, and the user asked for the old code.
  const child: ChildOutcome = job.failure
    ? { exitCode: 1, signal: null, durationMs: 0, startError: job.failure }
    : outputs?.hit
      ? outputs.hit.child
      : await runChild(job.request.argv, job.request);
  replay.stop();
  // The job has ended: a stop request now (a scheduler's SIGTERM, Ctrl-C) must not turn the
  // job's own exit status into death by a signal. It ends the wait for the network instead; what
  // is not acked stays in the spool.
  const stopWaiting = (): void => agent.cutoff.set(Date.now(), "stopped by a signal after the command ended");
  for (const s of LATE_SIGNALS) process.on(s, stopWaiting);
  try {
    return await finishRun();
  } finally {
    for (const s of LATE_SIGNALS) process.off(s, stopWaiting);
  }

  async function finishRun(): Promise<WrapResult> {
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
      outputs: outputs ? await outputs.finish(child) : [],
    });
    if (agentSink.unreachableSoFar() && child.durationMs < agentOptions.retryForMs) {
      // The collector refused or ignored every try while a short job ran (the start's retries
      // were still going): the finish bound would only delay the job's exit. Every event is in
      // the spool already (written ahead) and the next run or `spool flush` sends it: the spool
      // path must cost the job no more than the network path. After a longer job the finish
      // gets its one try within the bound: the collector may be back by then.
      const why = agentSink.lastFailureMessage();
      agentSink.cutoff.set(Date.now(), `${why !== "" ? why : "the collector could not be reached"} (no answer while the command ran)`);
    } else {
      agentSink.cutoff.set(Date.now() + agentOptions.finishTimeoutMs, `no acknowledgement within ${agentOptions.finishTimeoutMs} ms of the command's end (finishTimeoutMs)`);
    }
    const outcome = await reporter.flush(agentOptions.finishTimeoutMs + SPOOL_WRITE_GRACE_MS);
    // Before close: closing the sink settles what is still in flight, and the warning must say
    // which of the unanswered events had their copy in the spool when the agent stopped waiting.
    const spooling = agentSink.sink.summary();
    await reporter.close();
    const line = deliveryWarning(capture.runId, outcome, spooling, agentOptions.maxSpoolBytes);
    if (line) warn(line);
    if (agentSink.spool && request.cli && outcome.acked > 0 && outcome.spooled === 0) {
      const { flushInBackground } = await import("./background-flush.js");
      await flushInBackground(agentSink.spool, agentOptions, request.cli, request.env);
    }
    return { child, runId: capture.runId, recorded: outcome.acked > 0 && outcome.spooled === 0 && outcome.lost === 0 && outcome.unsettled === 0 };
  }
}

/** Signals that, once the job has ended, cut the agent's wait short instead of killing it. */
const LATE_SIGNALS: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT", "SIGHUP"];

interface PreparedJob {
  request: Pick<WrapRequest, "argv" | "cwd" | "env">;
  /** The run or snapshot the step is pinned to, when it is. */
  ref?: string;
  restored?: RestoredJob;
  /** Why the pinned step could not be restored; the command is then not run. */
  failure?: string;
}

/** `--restore`, SNAPTRAIL_RESTORE or this step's SNAPTRAIL_PIN entry: restore first, then run in it. */
async function restoreIfPinned(request: WrapRequest, options: AgentOptions, note: (line: string) => void): Promise<PreparedJob> {
  const { restoreRefFor, restoreForWrap, describeRestoreFailure } = await import("./restore-for-wrap.js");
  let ref: string | undefined;
  try {
    ref = restoreRefFor(options, request.argv, request.cwd, request.env);
  } catch (err) {
    return { request, failure: `${errorMessage(err)}; the command was not run` };
  }
  if (ref === undefined) return { request };
  try {
    const restored = await restoreForWrap(ref, request.argv, options, request.env, request.cwd);
    note(restoredLine(restored));
    // A nested `snaptrail wrap` in the job runs inside this restore; it must not restore again.
    const env = { ...restored.env };
    delete env.SNAPTRAIL_RESTORE;
    return { request: { argv: restored.argv, cwd: restored.cwd, env }, ref, restored };
  } catch (err) {
    return { request, ref, failure: describeRestoreFailure(ref, err) };
  }
}

function restoredLine(r: RestoredJob): string {
  const parts = [`running pinned to ${r.rollbackOf}`];
  if (r.report.code) parts.push(`code restored into ${r.report.code.into} (${r.report.code.verified} files verified)`);
  const skipped = r.report.code?.notRestored ?? [];
  if (skipped.length > 0) parts.push(`not restored (left out: secret pattern): ${skipped.map((s) => s.path).join(", ")}`);
  const env = r.report.environment;
  if (env?.mode === "rebuild") parts.push(`environment ${env.cached ? "from the cached venv" : "rebuilt in"} ${env.venvDir}`);
  else if (env) parts.push(`environment checked (${env.mode})`);
  return parts.join("; ");
}

async function safeCapture(request: Pick<WrapRequest, "argv" | "cwd" | "env">, options: AgentOptions, warn: (line: string) => void, restored?: RestoredJob): Promise<CaptureResult | undefined> {
  try {
    const { captureSnapshot } = await import("../capture/capture-snapshot.js");
    const captureOptions = captureOptionsFor(restored?.python !== undefined ? { ...options, python: restored.python } : options, request.argv, request.cwd, request.env);
    if (restored?.restoredCode) captureOptions.restoredCode = restored.restoredCode;
    return await captureSnapshot(captureOptions);
  } catch (err) {
    // A bug in a fingerprinter must not cost the job its run.
    warn(`fingerprinting failed on ${hostname()}: ${errorMessage(err)}; running the command without recording it`);
    return undefined;
  }
}
