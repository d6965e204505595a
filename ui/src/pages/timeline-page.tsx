import { Link, useSearchParams } from "react-router";
import { CartesianGrid, ReferenceDot, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { RunDiff, RunSummary, TimelineRun } from "../../../core/api-types";
import { api } from "../api";
import { LoadedView } from "../components/message";
import { StatusBadge } from "../components/status-badge";
import { formatDuration, formatTime, plural } from "../format";
import { useApi } from "../use-api";

// A step's runs over time (status and duration), with a marker wherever its environment or code
// changed from the run before, and the first failing run after a change highlighted with the
// change named: "it broke after the pydantic bump" in one look.

const MAX_RUNS = 200;
const CHART_HEIGHT = 280;

interface Point {
  run: RunSummary;
  t: number;
  durationS: number;
  /** What moved since the run before: "environment", "code". */
  changed: string[];
}

/**
 * Oldest first, with what changed from each run's predecessor as the collector marks it
 * (GET /api/v1/timeline, the same answer as the gRPC StepTimeline): the oldest run shown is
 * compared with the step's run before it too, even when that one is beyond the page.
 */
function points(runs: TimelineRun[]): Point[] {
  const timed = runs.filter((r) => r.run.startedAt !== null).reverse();
  return timed.map(({ run, environmentChanged, codeChanged }) => {
    const changed: string[] = [];
    if (environmentChanged) changed.push("environment");
    if (codeChanged) changed.push("code");
    return { run, t: Date.parse(run.startedAt!), durationS: (run.durationMs ?? 0) / 1000, changed };
  });
}

/** The first failed run at or after the latest change, with the run before that change. */
function firstFailureAfterChange(ps: Point[]): { failed: Point; before: Point; change: Point } | undefined {
  for (let i = ps.length - 1; i > 0; i--) {
    const change = ps[i]!;
    if (change.changed.length === 0) continue;
    const failed = ps.slice(i).find((p) => p.run.status === "failed");
    if (failed && ps[i - 1]!.run.status !== "failed") return { failed, before: ps[i - 1]!, change };
  }
  return undefined;
}

/** Time ticks as fine as the runs' span needs (UTC): seconds within an hour, days beyond two. */
function tickFormat(ps: Point[]): (t: number) => string {
  const span = (ps.at(-1)?.t ?? 0) - (ps[0]?.t ?? 0);
  const [from, to] = span < 3_600_000 ? [11, 19] : span < 2 * 86_400_000 ? [5, 16] : [0, 10];
  return (t: number) => new Date(t).toISOString().slice(from, to).replace("T", " ");
}

/** "pydantic 1.10.13 -> 2.7.1, 1 file": the change in a few words. */
function nameChange(diff: RunDiff): string {
  const parts: string[] = [];
  const changed = diff.packages.changed;
  for (const c of changed.slice(0, 2)) parts.push(`${c.name} ${c.from} → ${c.to}${c.major ? " (MAJOR)" : ""}`);
  if (changed.length > 2) parts.push(`${changed.length - 2} more packages`);
  const moved = diff.packages.added.length + diff.packages.removed.length;
  if (moved > 0) parts.push(`${moved} added or removed`);
  if (diff.image.length > 0) parts.push("image");
  const files = diff.code ? diff.code.added.length + diff.code.removed.length + diff.code.modified.length : 0;
  if (files > 0) parts.push(plural(files, "file"));
  return parts.join(", ") || "no recorded difference";
}

export function TimelinePage() {
  const [params] = useSearchParams();
  const pipeline = params.get("pipeline") ?? "";
  const step = params.get("step") ?? "";
  const query = new URLSearchParams({ pipeline, step, limit: String(MAX_RUNS) });
  const loaded = useApi(step ? query.toString() : null, (signal) => api.timeline(query, signal));
  if (!step) {
    return (
      <div className="message error" role="alert">
        The timeline needs a step (?pipeline=P&step=S). <Link to="/">Pick a run</Link> and follow its step&apos;s timeline.
      </div>
    );
  }
  return (
    <section>
      <p className="crumbs">Timeline of a step</p>
      <h1>
        {pipeline || "—"} / {step}
      </h1>
      <LoadedView loaded={loaded} what="the step's runs" minHeight={CHART_HEIGHT + 400}>
        {(page) => <Timeline runs={page.runs} truncated={page.nextCursor !== null} />}
      </LoadedView>
    </section>
  );
}

function Timeline({ runs, truncated }: { runs: TimelineRun[]; truncated: boolean }) {
  const ps = points(runs);
  const culprit = firstFailureAfterChange(ps);
  const diff = useApi(culprit ? `${culprit.before.run.runId}\n${culprit.change.run.runId}` : null, (signal) =>
    api.diff(culprit!.before.run.runId, culprit!.change.run.runId, signal),
  );
  const changeName = diff.state === "ok" ? nameChange(diff.data) : diff.state === "error" ? `(could not compare: ${diff.error.message})` : "…";
  if (ps.length === 0) return <div className="message">This step has no runs with a start time.</div>;
  const byStatus = (status: string) => ps.filter((p) => p.run.status === status);
  return (
    <>
      <div className="culprit" role="status">
        {culprit ? (
          <>
            <strong>First failure after a change:</strong>{" "}
            <Link className="mono" to={`/runs/${encodeURIComponent(culprit.failed.run.runId)}`}>
              {culprit.failed.run.runId}
            </Link>{" "}
            failed after the {culprit.change.changed.join(" and ")} changed: <span className="change-name">{changeName}</span>.{" "}
            <Link to={`/compare?${new URLSearchParams({ a: culprit.before.run.runId, b: culprit.change.run.runId }).toString()}`}>Compare</Link>
          </>
        ) : (
          <>No failure follows a change in these runs.</>
        )}
      </div>
      {truncated && <p className="hint">The newest {MAX_RUNS} runs.</p>}
      <div className="chart" style={{ height: CHART_HEIGHT }} aria-label="Duration of each run over time; red points failed; dashed lines mark changes">
        <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
          <ScatterChart margin={{ top: 24, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              domain={["dataMin", "dataMax"]}
              scale="time"
              padding={{ left: 16, right: 16 }}
              tickFormatter={tickFormat(ps)}
              name="started"
            />
            <YAxis dataKey="durationS" name="duration" unit=" s" width={64} />
            <Tooltip
              formatter={(value, name) => (name === "started" ? formatTime(new Date(Number(value)).toISOString()) : `${Number(value).toFixed(2)} s`)}
            />
            {ps
              .filter((p) => p.changed.length > 0)
              .map((p) => (
                <ReferenceLine
                  key={`c-${p.run.runId}`}
                  x={p.t}
                  stroke="#9a6700"
                  strokeDasharray="4 3"
                  label={{ value: p.changed.join(" + "), position: "insideTopRight", fill: "#9a6700", fontSize: 11 }}
                />
              ))}
            <Scatter name="succeeded" data={byStatus("succeeded")} fill="#1a7f37" isAnimationActive={false} />
            <Scatter name="failed" data={byStatus("failed")} fill="#cf222e" isAnimationActive={false} />
            <Scatter name="running" data={byStatus("running")} fill="#0b5cad" isAnimationActive={false} />
            {culprit && <ReferenceDot x={culprit.failed.t} y={culprit.failed.durationS} r={10} fill="none" stroke="#cf222e" strokeWidth={3} />}
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <table className="timeline">
        <thead>
          <tr>
            <th scope="col">Started (UTC)</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
            <th scope="col">Run</th>
            <th scope="col">Changed since the run before</th>
          </tr>
        </thead>
        <tbody>
          {[...ps].reverse().map((p, i, all) => {
            const prev = all[i + 1];
            return (
              <tr key={p.run.runId} className={culprit?.failed === p ? "first-failure" : undefined}>
                <td className="nowrap">{formatTime(p.run.startedAt)}</td>
                <td>
                  <StatusBadge status={p.run.status} />
                </td>
                <td className="nowrap">{formatDuration(p.run.durationMs)}</td>
                <td className="mono ellipsis">
                  <Link to={`/runs/${encodeURIComponent(p.run.runId)}`}>{p.run.runId}</Link>
                </td>
                <td>
                  {p.changed.length > 0 && prev ? (
                    <Link className="badge warn" to={`/compare?${new URLSearchParams({ a: prev.run.runId, b: p.run.runId }).toString()}`}>
                      {p.changed.join(" + ")}
                    </Link>
                  ) : (
                    <span className="hint">—</span>
                  )}
                  {culprit?.failed === p && <span className="badge major">first failure after a change</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
