import type { ReportOutcome } from "../report/run-reporter.js";
import type { SpoolingSummary } from "../sinks/spooling-sink.js";

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** The one warning line `wrap` prints when a run's events were not all acked; undefined when they were. */
export function deliveryWarning(runId: string, outcome: ReportOutcome, spool: SpoolingSummary, maxSpoolBytes: number): string | undefined {
  if (outcome.spooled === 0 && outcome.lost === 0 && outcome.errors.length === 0) return undefined;
  const parts: string[] = [];
  if (outcome.spooled > 0) {
    parts.push(`${spool.sendError ?? "not acknowledged"}; spooled ${plural(outcome.spooled, "event")} to ${spool.dir}; they will be sent by the next run or \`snaptrail spool flush\``);
    if (spool.dropped.files > 0) {
      parts.push(`the spool was full (maxSpoolBytes ${maxSpoolBytes}): dropped its ${plural(spool.dropped.files, "oldest file")} (${plural(spool.dropped.events, "event")}) to make room`);
    }
  }
  if (outcome.lost > 0) {
    const why = [...new Set(outcome.errors)].join("; ") || "unknown reason";
    parts.push(`${plural(outcome.lost, "event")} not recorded: ${why} (the command itself ran normally)`);
  } else if (outcome.errors.length > 0) parts.push([...new Set(outcome.errors)].join("; "));
  return `run ${runId}: ${parts.join("; ")}`;
}
