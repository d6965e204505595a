import type { FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import type { PackageRun, RunSummary } from "../../../core/api-types";
import { api } from "../api";
import { LoadedView } from "../components/message";
import { StatusBadge } from "../components/status-badge";
import { formatTime, plural } from "../format";
import { useApi } from "../use-api";

// "Which runs ran with torch>=2.3?" (GET /api/v1/packages/{name}/runs, with the version each run
// had) or "which runs ran in this environment?" (GET /api/v1/runs?environment=), reached from the
// header or from a package row ("where else is this version used"). The query is in the URL, so a
// link shows the same answer.

const PAGE_SIZE = 100;

/** The environment search answers plain runs; as package rows they have no version to show. */
const asPackageRuns = (runs: RunSummary[]): PackageRun[] => runs.map((run) => ({ run, versions: [] }));

function stepsOf(runs: RunSummary[]): string[] {
  return [...new Set(runs.map((r) => `${r.pipeline || "—"} / ${r.step || "—"}`))].sort();
}

export function PackagesPage() {
  const [params, setParams] = useSearchParams();
  const name = params.get("package") ?? "";
  const version = params.get("version") ?? "";
  const environment = params.get("environment") ?? "";
  const cursor = params.get("cursor") ?? "";
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (name && version) query.set("version", version);
  if (environment) query.set("environment", environment);
  if (cursor) query.set("cursor", cursor);
  const searched = name || environment;
  const what = name ? `${name}${version ? ` ${version}` : ""}${environment ? " in that environment" : ""}` : `environment ${environment.slice(0, 19)}…`;
  const loaded = useApi(searched ? `${name}\n${query.toString()}` : null, (signal) =>
    name ? api.packageRuns(name, query, signal) : api.runs(query, signal).then((page) => ({ package: "", runs: asPackageRuns(page.runs), nextCursor: page.nextCursor })),
  );

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
    const e = field("environment");
    if (p) next.set("package", p);
    if (p && v) next.set("version", v);
    if (e) next.set("environment", e);
    setParams(next);
  };

  return (
    <section className="package-search">
      <h1>Package search</h1>
      <form onSubmit={onSubmit} key={`${name}\n${version}\n${environment}`}>
        <label>
          Package
          <input name="package" defaultValue={name} placeholder="torch" aria-label="Package" />
        </label>
        <label>
          Version or specifier
          <input name="version" defaultValue={version} placeholder="2.3.1 or >=2.3" aria-label="Version or specifier" />
        </label>
        <label>
          Environment digest
          <input name="environment" defaultValue={environment} placeholder="sha256:…" aria-label="Environment digest" />
        </label>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {!searched ? (
        <p className="hint" style={{ minHeight: 400 }}>
          Name a package (and a version like <code>2.3.1</code> or a specifier like <code>&gt;=2.3</code>) to see every run that had it, or
          an environment digest to see every run in that environment.
        </p>
      ) : (
        <LoadedView loaded={loaded} what={`runs with ${what}`} minHeight={400}>
          {(page) => (
            <>
              <div className="result-head" role="status">
                <strong className="result-count">
                  {page.runs.length === 0
                    ? `No run had ${what}.`
                    : `${plural(page.runs.length, "run")}${page.nextCursor ? "+" : ""} in ${plural(stepsOf(page.runs.map((r) => r.run)).length, "step")} had ${what}`}
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
                        {name && <th scope="col">Version</th>}
                        <th scope="col">Started (UTC)</th>
                      </tr>
                    </thead>
                    <tbody>
                      {page.runs.map(({ run: r, versions }) => (
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
                          {name && <td className="mono version">{versions.join(", ")}</td>}
                          <td className="nowrap">{formatTime(r.startedAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <div className="pager">
                {page.nextCursor && (
                  <Link className="button-link" to={`/packages?${new URLSearchParams({ ...(name ? { package: name } : {}), ...(name && version ? { version } : {}), ...(environment ? { environment } : {}), cursor: page.nextCursor }).toString()}`}>
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
