import type { ReportOutcome } from "../report/run-reporter.js";
import type { SpoolingSummary } from "../sinks/spooling-sink.js";

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** The one warning line `wrap` prints when a run's events were not all acked; undefined when they were. */
export function deliveryWarning(runId: string, outcome: ReportOutcome, spool: SpoolingSummary, maxSpoolBytes: number): string | undefined {
  if (outcome.spooled === 0 && outcome.lost === 0 && outcome.unsettled === 0 && outcome.errors.length === 0) return undefined;
  const parts: string[] = [];
  if (outcome.spooled > 0) {
    parts.push(`${spool.sendError ?? "not acknowledged"}; spooled ${plural(outcome.spooled, "event")} to ${spool.dir}; they will be sent by the next run or \`snaptrail spool flush\``);
    if (spool.dropped.files > 0) {
      parts.push(`the spool was full (maxSpoolBytes ${maxSpoolBytes}): dropped its ${plural(spool.dropped.files, "oldest file")} (${plural(spool.dropped.events, "event")}) to make room`);
    }
  }
  if (outcome.unsettled > 0) {
    // Unanswered at the bound is not unrecorded: each event went into the spool before it was
    // sent, and that copy stays there when the agent stops waiting.
    const copied = Math.min(outcome.unsettled, spool.copiedInFlight);
    const after = `within ${outcome.unsettledAfterMs ?? "?"} ms of the command's end`;
    if (copied > 0) {
      parts.push(
        `${plural(copied, "event")} not acknowledged ${after}: ${copied === 1 ? "its copy stays" : "their copies stay"} in the spool at ${spool.dir ?? "?"} and will be sent by the next run or \`snaptrail spool flush\` (a copy the collector stored meanwhile is dropped there as a duplicate)`,
      );
    }
    if (outcome.unsettled > copied) {
      parts.push(`${plural(outcome.unsettled - copied, "event")} not acknowledged ${after} and not in the spool: not recorded (the command itself ran normally)`);
    }
  }
  if (outcome.lost > 0) {
    const why = [...new Set(outcome.errors)].join("; ") || "unknown reason";
    parts.push(`${plural(outcome.lost, "event")} not recorded: ${why} (the command itself ran normally)`);
  } else if (outcome.errors.length > 0) parts.push([...new Set(outcome.errors)].join("; "));
  return `run ${runId}: ${parts.join("; ")}`;
}
