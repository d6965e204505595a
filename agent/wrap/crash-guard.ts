import { errorMessage } from "../../core/errors.js";

/**
 * While the job runs, a bug in snaptrail must not end the agent: the agent is the job's parent,
 * and its exit would take the job's exit code with it. Such an error is reported once and the
 * agent keeps waiting for the job. Returns a function that removes the guard.
 */
export function guardAgainstCrashes(warn: (line: string) => void): () => void {
  let reported = false;
  const onError = (err: unknown): void => {
    if (reported) return;
    reported = true;
    warn(`internal error in snaptrail (${errorMessage(err)}); the command keeps running and its result is kept`);
  };
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return () => {
    process.off("uncaughtException", onError);
    process.off("unhandledRejection", onError);
  };
}
