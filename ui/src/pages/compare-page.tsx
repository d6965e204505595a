import { useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import type { EnvVarChange, FieldChange, RunDiff, RunSummary } from "../../../core/api-types";
import { api } from "../api";
import { CodeDiffView } from "../components/code-diff-view";
import { LoadedView } from "../components/message";
import { StatusBadge } from "../components/status-badge";
import { formatTime, plural } from "../format";
import { useApi } from "../use-api";

// Two runs side by side: the CLI's `snaptrail diff` as a page (GET /api/v1/diff). What changed
// comes first; what did not is folded behind a count.

export function ComparePage() {
  const [params] = useSearchParams();
  const a = params.get("a") ?? "";
  const b = params.get("b") ?? "";
  const loaded = useApi(a && b ? `${a}\n${b}` : null, (signal) => api.diff(a, b, signal));
  if (!a || !b) {
    return (
      <div className="message error" role="alert">
        Compare needs two runs (?a=RUN&b=RUN). <Link to="/">Pick them from the runs list</Link>.
      </div>
    );
  }
  return (
    <LoadedView loaded={loaded} what="the comparison" minHeight={900}>
      {(diff) => <DiffView diff={diff} />}
    </LoadedView>
  );
}

function summaryLine(diff: RunDiff): string {
  if (diff.identical) return "Identical: same packages, code, image, host, configuration and environment variables.";
  const p = diff.packages;
  const parts: string[] = [];
  const majors = p.changed.filter((c) => c.major).length;
  if (p.changed.length > 0) parts.push(`${plural(p.changed.length, "package")} changed${majors > 0 ? ` (${majors} MAJOR)` : ""}`);
  if (p.added.length > 0) parts.push(`${p.added.length} added`);
  if (p.removed.length > 0) parts.push(`${p.removed.length} removed`);
  const code = diff.code;
  if (code) {
    const files = code.added.length + code.removed.length + code.modified.length;
    if (files > 0) parts.push(`${plural(files, "file")} changed`);
    else if (code.commitFrom !== code.commitTo) parts.push("commit changed");
  }
  if (diff.interpreter.length > 0) parts.push("interpreter changed");
  if (diff.image.length > 0) parts.push("image changed");
  if (diff.os.length > 0) parts.push("OS changed");
  if (diff.host.length > 0) parts.push("host changed");
  if (diff.config.length > 0) parts.push(`${plural(diff.config.length, "config field")} changed`);
  if (diff.env.length > 0) parts.push(`${plural(diff.env.length, "env var")} changed`);
  if (diff.modules.added.length + diff.modules.removed.length > 0) parts.push("modules changed");
  return parts.length > 0 ? parts.join(" · ") : "No recorded difference.";
}

function RunCard({ run, side }: { run: RunSummary; side: string }) {
  return (
    <div className="run-card">
      <span className="side">{side}</span>
      <Link className="mono" to={`/runs/${encodeURIComponent(run.runId)}`}>
        {run.runId}
      </Link>
      <div>
        <StatusBadge status={run.status} /> {run.pipeline} / {run.step} · {formatTime(run.startedAt)}
      </div>
    </div>
  );
}

/** A section with changes; one with none is left out here and named in the "Unchanged" line. */
function Block({ title, id, count, label, children }: { title: string; id: string; count: number; label?: string; children: ReactNode }) {
  if (count === 0) return null;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="count">{label ?? plural(count, "change")}</span>
      </h2>
      {children}
    </section>
  );
}

function FieldTable({ changes }: { changes: FieldChange[] }) {
  return (
    <table className="changes">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <th scope="row" className="mono">
              {c.field}
            </th>
            <td className="mono from">{c.from ?? <em>none</em>}</td>
            <td className="mono to">{c.to ?? <em>none</em>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function envValue(change: EnvVarChange, value: string | null): ReactNode {
  if (value === null) return <em>unset</em>;
  return change.redacted ? <span className="badge muted">redacted</span> : value;
}

function DiffView({ diff }: { diff: RunDiff }) {
  const p = diff.packages;
  const code = diff.code;
  const codeChanges = code ? code.added.length + code.removed.length + code.modified.length + code.leftOut.length : 0;
  const codeFiles = code ? code.added.length + code.removed.length + code.modified.length : 0;
  const commitMoved = code !== null && code.commitFrom !== code.commitTo;
  const [showUnchanged, setShowUnchanged] = useState(false);
  const sections: [string, number][] = [
    ["packages", p.changed.length + p.added.length + p.removed.length],
    ["code", codeChanges + (commitMoved ? 1 : 0)],
    ["interpreter", diff.interpreter.length],
    ["container image", diff.image.length],
    ["operating system", diff.os.length],
    ["host", diff.host.length],
    ["configuration", diff.config.length],
    ["environment variables", diff.env.length],
    ["HPC modules", diff.modules.added.length + diff.modules.removed.length],
  ];
  const unchanged = sections.filter(([, n]) => n === 0).map(([name]) => name);
  return (
    <article className="compare">
      <h1>Compare runs</h1>
      <div className="pair">
        <RunCard run={diff.a} side="A (before)" />
        <span className="arrow" aria-hidden="true">
          →
        </span>
        <RunCard run={diff.b} side="B (after)" />
      </div>
      <p className="summary" role="status">
        {summaryLine(diff)}
      </p>

      <Block title="Packages" id="c-packages" count={p.changed.length + p.added.length + p.removed.length}>
        {p.changed.length > 0 && (
          <>
            <h3>Changed</h3>
            <table className="changes packages-changed">
              <tbody>
                {p.changed.map((c) => (
                  <tr key={c.name} data-package={c.name}>
                    <th scope="row">{c.name}</th>
                    <td className="mono">
                      {c.from} → {c.to}
                    </td>
                    <td>
                      <span className={`badge ${c.direction}`}>{c.direction}</span>
                      {c.major && (
                        <>
                          {" "}
                          <span className="badge major">MAJOR</span>
                        </>
                      )}
                    </td>
                    <td className="hint mono ellipsis">{c.sourceFrom || c.sourceTo ? `${c.sourceFrom ?? ""} → ${c.sourceTo ?? ""}` : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {p.added.length > 0 && (
          <>
            <h3>Added</h3>
            <ul className="pkg-list added">
              {p.added.map((x) => (
                <li key={x.name}>
                  + {x.name} <span className="mono">{x.version}</span>
                </li>
              ))}
            </ul>
          </>
        )}
        {p.removed.length > 0 && (
          <>
            <h3>Removed</h3>
            <ul className="pkg-list removed">
              {p.removed.map((x) => (
                <li key={x.name}>
                  − {x.name} <span className="mono">{x.version}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </Block>
      <p className="folded">
        <button type="button" className="link" aria-expanded={showUnchanged} onClick={() => setShowUnchanged((v) => !v)}>
          {plural(p.unchanged, "unchanged package")} {showUnchanged ? "▾" : "▸"}
        </button>
      </p>
      {showUnchanged && <UnchangedPackages diff={diff} />}

      <Block
        title="Code"
        id="c-code"
        count={codeChanges + (commitMoved ? 1 : 0)}
        label={[codeFiles > 0 ? `${plural(codeFiles, "file")} changed` : "", commitMoved ? "new commit" : ""].filter(Boolean).join(", ") || undefined}
      >
        {code && (
          <>
            <p className="mono">
              {code.commitFrom?.slice(0, 12) ?? "no commit"} ({code.branchFrom ?? "—"}
              {code.dirtyFrom ? ", dirty" : ""}) → {code.commitTo?.slice(0, 12) ?? "no commit"} ({code.branchTo ?? "—"}
              {code.dirtyTo ? ", dirty" : ""})
            </p>
            <ul className="files mono">
              {code.modified.map((f) => (
                <li key={`m${f}`}>M {f}</li>
              ))}
              {code.added.map((f) => (
                <li key={`a${f}`}>A {f}</li>
              ))}
              {code.removed.map((f) => (
                <li key={`r${f}`}>D {f}</li>
              ))}
              {code.leftOut.map((f) => (
                <li key={`l${f.path}`}>
                  ? {f.path}{" "}
                  <span className="hint">
                    {f.from} → {f.to} ({f.reason})
                  </span>
                </li>
              ))}
            </ul>
            {code.note && <p className="hint">{code.note}</p>}
            <CodeDiffView patches={code.patches} />
          </>
        )}
      </Block>

      <Block title="Interpreter" id="c-interpreter" count={diff.interpreter.length}>
        <FieldTable changes={diff.interpreter} />
      </Block>
      <Block title="Container image" id="c-image" count={diff.image.length}>
        <FieldTable changes={diff.image} />
      </Block>
      <Block title="Operating system" id="c-os" count={diff.os.length}>
        <FieldTable changes={diff.os} />
      </Block>
      <Block title="Host" id="c-host" count={diff.host.length}>
        <FieldTable changes={diff.host} />
      </Block>
      <Block title="Configuration" id="c-config" count={diff.config.length}>
        <FieldTable changes={diff.config} />
      </Block>
      <Block title="Environment variables" id="c-env" count={diff.env.length}>
        <table className="changes">
          <thead>
            <tr>
              <th scope="col">Variable</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.env.map((c) => (
              <tr key={c.name}>
                <th scope="row" className="mono">
                  {c.name}
                </th>
                <td className="mono from">{envValue(c, c.from)}</td>
                <td className="mono to">
                  {envValue(c, c.to)}
                  {c.redacted && c.from !== null && c.to !== null && <span className="hint"> changed</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Block>
      <Block title="HPC modules" id="c-modules" count={diff.modules.added.length + diff.modules.removed.length}>
        <ul className="pkg-list">
          {diff.modules.added.map((m) => (
            <li key={`+${m}`}>+ {m}</li>
          ))}
          {diff.modules.removed.map((m) => (
            <li key={`-${m}`}>− {m}</li>
          ))}
        </ul>
      </Block>
      {unchanged.length > 0 && (
        <p className="unchanged-line">
          <strong>Unchanged:</strong> {unchanged.join(", ")}.
        </p>
      )}
    </article>
  );
}

/** The packages both runs have at the same version, read from run B's record when asked for. */
function UnchangedPackages({ diff }: { diff: RunDiff }) {
  const loaded = useApi(diff.b.runId, (signal) => api.run(diff.b.runId, signal));
  const moved = new Set([...diff.packages.changed.map((c) => c.name), ...diff.packages.added.map((x) => x.name)]);
  return (
    <LoadedView loaded={loaded} what="the unchanged packages" minHeight={60}>
      {(run) => (
        <ul className="pkg-list unchanged columns">
          {(run.environment?.packages ?? [])
            .filter((x) => !moved.has(x.name))
            .map((x) => (
              <li key={x.name}>
                {x.name} <span className="mono">{x.version}</span>
              </li>
            ))}
        </ul>
      )}
    </LoadedView>
  );
}
