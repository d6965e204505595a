import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import type { RunPage } from "../../../core/api-types";
import { api } from "../api";
import { LoadedView } from "../components/message";
import { StatusBadge } from "../components/status-badge";
import { formatDuration, formatTime } from "../format";
import { useApi } from "../use-api";

// The runs list, newest first. Every filter and the page's cursor live in the URL, so a link
// shows the same list; the API does the filtering and the paging.

const PAGE_SIZE = 50;
const ROW_HEIGHT = 37;

/** The URL's parameters that are filters (the API's names). */
const FILTERS = ["orchestrator", "pipeline", "step", "status", "since", "until", "package", "version"] as const;
type Filter = (typeof FILTERS)[number];

/** "2026-05-01T12:00" (a datetime-local input, taken as UTC) <-> the URL's ISO time. */
const toInputTime = (iso: string | null): string => (iso ? iso.replace(/:\d\d(\.\d+)?Z$/, "").replace(/Z$/, "") : "");
const fromInputTime = (local: string): string => (local ? `${local}:00Z` : "");

export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [selected, setSelected] = useState<string[]>([]);

  const apiQuery = new URLSearchParams();
  for (const f of FILTERS) {
    const v = params.get(f);
    if (v) apiQuery.set(f, v);
  }
  const cursor = params.get("cursor");
  if (cursor) apiQuery.set("cursor", cursor);
  apiQuery.set("limit", String(PAGE_SIZE));
  const key = apiQuery.toString();
  const loaded = useApi(key, (signal) => api.runs(apiQuery, signal));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const f of FILTERS) {
      const raw = form.get(f);
      let v = typeof raw === "string" ? raw.trim() : "";
      if (f === "since" || f === "until") v = fromInputTime(v);
      if (v) next.set(f, v);
    }
    setParams(next);
  };

  const toggle = (runId: string) =>
    setSelected((s) => (s.includes(runId) ? s.filter((id) => id !== runId) : [...s.slice(-1), runId]));

  const text = (f: Filter) => params.get(f) ?? "";
  const hasFilters = FILTERS.some((f) => params.get(f));

  return (
    <section>
      <h1>Runs</h1>
      <form className="filters" onSubmit={onSubmit} key={params.toString()} aria-label="Filter runs">
        <label>
          Orchestrator
          <select name="orchestrator" defaultValue={text("orchestrator")}>
            <option value="">any</option>
            <option value="LOCAL">local</option>
            <option value="AIRFLOW">Airflow</option>
            <option value="KUBEFLOW">Kubeflow</option>
            <option value="SLURM">Slurm</option>
          </select>
        </label>
        <label>
          Pipeline
          <input name="pipeline" defaultValue={text("pipeline")} placeholder="any" />
        </label>
        <label>
          Step
          <input name="step" defaultValue={text("step")} placeholder="any" />
        </label>
        <label>
          Status
          <select name="status" defaultValue={text("status")}>
            <option value="">any</option>
            <option value="running">running</option>
            <option value="succeeded">succeeded</option>
            <option value="failed">failed</option>
          </select>
        </label>
        <label>
          From (UTC)
          <input type="datetime-local" name="since" defaultValue={toInputTime(params.get("since"))} />
        </label>
        <label>
          Until (UTC)
          <input type="datetime-local" name="until" defaultValue={toInputTime(params.get("until"))} />
        </label>
        <label>
          Package
          <input name="package" defaultValue={text("package")} placeholder="e.g. torch" />
        </label>
        <label>
          Version
          <input name="version" defaultValue={text("version")} placeholder="2.7.1 or >=2,<3" />
        </label>
        <div className="filter-actions">
          <button type="submit">Apply</button>
          {hasFilters && (
            <Link to="/" className="button-link">
              Clear
            </Link>
          )}
        </div>
      </form>

      <div className="list-toolbar">
        <button
          type="button"
          disabled={selected.length !== 2}
          onClick={() => void navigate(`/compare?${new URLSearchParams({ a: selected[0]!, b: selected[1]! }).toString()}`)}
        >
          Compare selected ({selected.length}/2)
        </button>
        <span className="hint">Tick two runs to compare them; the older one first is the usual way round.</span>
      </div>

      <LoadedView loaded={loaded} what="runs" minHeight={ROW_HEIGHT * 10}>
        {(page: RunPage) => (
          <>
            {page.runs.length === 0 ? (
              <div className="message" style={{ minHeight: ROW_HEIGHT * 3 }}>
                No runs match{hasFilters ? " these filters" : " yet: wrap a job with `snaptrail wrap`"}.
              </div>
            ) : (
              <div className="table-scroll">
                <table className="runs">
                  <thead>
                    <tr>
                      <th scope="col" className="narrow">
                        <span className="sr-only">Select</span>
                      </th>
                      <th scope="col">Status</th>
                      <th scope="col">Pipeline / step</th>
                      <th scope="col">Run</th>
                      <th scope="col">Orchestrator</th>
                      <th scope="col">Started (UTC)</th>
                      <th scope="col">Duration</th>
                      <th scope="col">Commit</th>
                      <th scope="col">Host</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.runs.map((run) => (
                      <tr key={run.runId} className={selected.includes(run.runId) ? "selected" : undefined}>
                        <td className="narrow">
                          <input
                            type="checkbox"
                            aria-label={`select ${run.runId} to compare`}
                            checked={selected.includes(run.runId)}
                            onChange={() => toggle(run.runId)}
                          />
                        </td>
                        <td>
                          <StatusBadge status={run.status} />
                        </td>
                        <td>
                          {run.pipeline || "—"} / <strong>{run.step || "—"}</strong>
                        </td>
                        <td className="mono ellipsis">
                          <Link to={`/runs/${encodeURIComponent(run.runId)}`} title={run.runId}>
                            {run.runId}
                          </Link>
                        </td>
                        <td>{run.orchestrator.toLowerCase()}</td>
                        <td className="nowrap">{formatTime(run.startedAt)}</td>
                        <td className="nowrap">{formatDuration(run.durationMs)}</td>
                        <td className="mono">{run.gitCommit ? run.gitCommit.slice(0, 10) : "—"}</td>
                        <td className="ellipsis">{run.hostname || "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <nav className="pager" aria-label="Pages">
              {cursor && (
                <Link to={`/?${withoutCursor(params).toString()}`} className="button-link">
                  ← Newest
                </Link>
              )}
              {page.nextCursor && (
                <Link to={`/?${withCursor(params, page.nextCursor).toString()}`} className="button-link">
                  Older runs →
                </Link>
              )}
            </nav>
          </>
        )}
      </LoadedView>
    </section>
  );
}

function withoutCursor(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete("cursor");
  return next;
}

function withCursor(params: URLSearchParams, cursor: string): URLSearchParams {
  const next = withoutCursor(params);
  next.set("cursor", cursor);
  return next;
}
