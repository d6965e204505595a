import { errorMessage } from "../../core/errors.js";
import { HookLog } from "./hook-log.js";
import { SLURM_HOOK_DEFAULTS, slurmHookOptions, type SlurmHookOptions } from "./slurm-hook-options.js";

export type SlurmHookName = "prolog" | "task-prolog" | "epilog" | "python-seen";

export interface SlurmHookRequest {
  hook: SlurmHookName;
  env: NodeJS.ProcessEnv;
  /** For python-seen: the state file and the interpreter sitecustomize.py names. */
  stateFile?: string;
  python?: string;
  /** Lines for Slurm (the task prolog's exports); stdout by default. */
  emit?: (line: string) => void;
}

/**
 * Runs one hook so that it can never hurt the cluster: every error is logged (hook-log.ts) and
 * swallowed, and the returned promise settles by the hook's bound even when the network hangs.
 * A failing Prolog drains the node, so the caller exits 0 whatever this reports.
 */
export async function runSlurmHook(request: SlurmHookRequest): Promise<void> {
  const started = Date.now();
  const log = new HookLog(request.hook, undefined);
  let options: SlurmHookOptions = SLURM_HOOK_DEFAULTS;
  try {
    options = slurmHookOptions(request.env);
  } catch (err) {
    log.line(`${errorMessage(err)}; using the defaults`);
  }
  if (!options.enabled) return;
  const bound = request.hook === "python-seen" ? options.pythonReportTimeoutMs : options.timeoutMs;
  const deadline = started + bound;
  const emit = request.emit ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const work = (async () => {
    switch (request.hook) {
      case "prolog": {
        const { prolog } = await import("./prolog.js");
        return prolog(request.env, options, log);
      }
      case "task-prolog": {
        const { taskProlog } = await import("./task-prolog.js");
        return taskProlog(request.env, options, deadline, emit, log);
      }
      case "epilog": {
        const { epilog } = await import("./epilog.js");
        return epilog(request.env, options, deadline, log);
      }
      case "python-seen": {
        const { pythonSeen } = await import("./python-seen.js");
        return pythonSeen(request.env, request.stateFile ?? "", request.python ?? "", deadline, log);
      }
    }
  })().catch((err: unknown) => log.line(`failed: ${errorMessage(err)}`, request.env.SLURM_JOB_ID ?? ""));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()))));
  const outcome = await Promise.race([work.then(() => "done" as const), timedOut]);
  clearTimeout(timer);
  if (outcome === "timeout") log.line(`stopped at its bound (${bound} ms); unsent events wait in the spool`, request.env.SLURM_JOB_ID ?? "");
}
