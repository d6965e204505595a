import type { FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import type { RunSummary } from "../../../core/api-types";
import { api } from "../api";
import { LoadedView } from "../components/message";
import { StatusBadge } from "../components/status-badge";
import { formatTime, plural } from "../format";
import { useApi } from "../use-api";

// "Which runs ran with torch>=2.3?": the runs list's package filter as a page of its own, reached
// from the header or from a package row ("where else is this version used"). The query is in the
// URL, so a link shows the same answer.

const PAGE_SIZE = 100;

function stepsOf(runs: RunSummary[]): string[] {
  return [...new Set(runs.map((r) => `${r.pipeline || "—"} / ${r.step || "—"}`))].sort();
}

export function PackagesPage() {
  const [params, setParams] = useSearchParams();
  const name = params.get("package") ?? "";
  const version = params.get("version") ?? "";
  const cursor = params.get("cursor") ?? "";
  const query = new URLSearchParams({ package: name, limit: String(PAGE_SIZE) });
  if (version) query.set("version", version);
  if (cursor) query.set("cursor", cursor);
  const loaded = useApi(name ? query.toString() : null, (signal) => api.runs(query, signal));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    const field = (key: string) => {
      const value = form.get(key);
      return typeof value === "string" ? value.trim() : "";
    };
    const p = field("package");
    const v = field("version");
    if (p) next.set("package", p);
    if (p && v) next.set("version", v);
    setParams(next);
  };

  return (
    <section className="package-search">
      <h1>Package search</h1>
      <form onSubmit={onSubmit} key={`${name}\n${version}`}>
        <label>
          Package
          <input name="package" defaultValue={name} placeholder="torch" aria-label="Package" />
        </label>
        <label>
          Version or specifier
          <input name="version" defaultValue={version} placeholder="2.3.1 or >=2.3" aria-label="Version or specifier" />
        </label>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {!name ? (
        <p className="hint" style={{ minHeight: 400 }}>
          Name a package (and a version like <code>2.3.1</code> or a specifier like <code>&gt;=2.3</code>) to see every run that had it.
        </p>
      ) : (
        <LoadedView loaded={loaded} what={`runs with ${name}${version ? ` ${version}` : ""}`} minHeight={400}>
          {(page) => (
            <>
              <div className="result-head" role="status">
                <strong className="result-count">
                  {page.runs.length === 0
                    ? `No run had ${name}${version ? ` ${version}` : ""}.`
                    : `${plural(page.runs.length, "run")}${page.nextCursor ? "+" : ""} in ${plural(stepsOf(page.runs).length, "step")} had ${name}${version ? ` ${version}` : ""}`}
                </strong>
              </div>
              {page.runs.length > 0 && (
                <div className="table-scroll">
                  <table className="runs package-runs">
                    <thead>
                      <tr>
                        <th scope="col">Status</th>
                        <th scope="col">Pipeline / step</th>
                        <th scope="col">Run</th>
                        <th scope="col">Started (UTC)</th>
                      </tr>
                    </thead>
                    <tbody>
                      {page.runs.map((r) => (
                        <tr key={r.runId}>
                          <td>
                            <StatusBadge status={r.status} />
                          </td>
                          <td>
                            {r.pipeline || "—"} / {r.step || "—"}
                          </td>
                          <td className="mono">
                            <Link to={`/runs/${encodeURIComponent(r.runId)}`}>{r.runId}</Link>
                          </td>
                          <td className="nowrap">{formatTime(r.startedAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <div className="pager">
                {page.nextCursor && (
                  <Link className="button-link" to={`/packages?${new URLSearchParams({ package: name, ...(version ? { version } : {}), cursor: page.nextCursor }).toString()}`}>
                    Next {PAGE_SIZE}
                  </Link>
                )}
              </div>
            </>
          )}
        </LoadedView>
      )}
    </section>
  );
}
