import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import type { RunDetail } from "../../../core/api-types";
import { api } from "../api";
import { LoadedView } from "../components/message";
import { CodeFiles } from "../components/code-files";
import { PackageTable } from "../components/package-table";
import { ResubmitPanel } from "../components/resubmit-panel";
import { orchestratorLinks, slurmJobId } from "../orchestrator-link";
import { useSession } from "../session";
import { StatusBadge } from "../components/status-badge";
import { formatBytes, formatDuration, formatTime, shortDigest } from "../format";
import { useApi } from "../use-api";

// One run as its record holds it: what ran, where, with what.

export function RunPage() {
  const runId = useParams().runId ?? "";
  const loaded = useApi(runId, (signal) => api.run(runId, signal));
  return (
    <LoadedView loaded={loaded} what={`run ${runId}`} minHeight={900}>
      {(run) => <RunView run={run} />}
    </LoadedView>
  );
}

function Fields({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="fields">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v === "" || v === null || v === undefined ? "—" : v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Section({ title, children, id, wide, className }: { title: string; children: ReactNode; id: string; wide?: boolean; className?: string }) {
  return (
    <section className={["card", wide ? "wide" : "", className ?? ""].filter(Boolean).join(" ")} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** The run before this one of the same step (by start time), for the one-click compare. */
function PreviousRunLink({ run }: { run: RunDetail }) {
  const startedMs = run.startedAt ? Date.parse(run.startedAt) : NaN;
  const query = new URLSearchParams({ pipeline: run.pipeline, step: run.step, until: String(startedMs), limit: "1" });
  const key = Number.isNaN(startedMs) ? null : query.toString();
  const previous = useApi(key, (signal) => api.runs(query, signal));
  if (key === null) return <span className="hint">No start time recorded: nothing to compare with.</span>;
  if (previous.state === "loading") return <span className="button-link disabled">Compare with the previous run…</span>;
  if (previous.state === "error") return <span className="hint">Could not look up the previous run: {previous.error.message}</span>;
  const before = previous.data.runs[0];
  if (!before) return <span className="hint">The first run of this step: nothing before it to compare with.</span>;
  return (
    <Link className="button-link primary" to={`/compare?${new URLSearchParams({ a: before.runId, b: run.runId }).toString()}`}>
      Compare with the previous run of this step
    </Link>
  );
}

function RunView({ run }: { run: RunDetail }) {
  const session = useSession();
  const links = orchestratorLinks(run, session.links);
  const jobId = slurmJobId(run);
  const env = run.environment;
  const code = run.code;
  const host = run.host;
  const attributes = Object.entries(run.orchestratorContext?.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const parameters = Object.entries(run.config?.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <article className="run">
      <div className="run-head">
        <div>
          <p className="crumbs">
            {run.pipeline || "—"} / {run.step || "—"}
          </p>
          <h1 className="mono">{run.runId}</h1>
          <p>
            <StatusBadge status={run.status} /> {run.exitCode !== null && <span>exit {run.exitCode}</span>}{" "}
            {run.signal && <span>signal {run.signal}</span>}
          </p>
        </div>
        <div className="run-actions">
          <Link className="button-link" to={`/timeline?${new URLSearchParams({ pipeline: run.pipeline, step: run.step }).toString()}`}>
            Timeline of this step
          </Link>{" "}
          <PreviousRunLink run={run} />
        </div>
      </div>

      <div className="grid">
        <Section title="Timing" id="s-timing">
          <Fields
            rows={[
              ["Started (UTC)", formatTime(run.startedAt)],
              ["Finished (UTC)", formatTime(run.finishedAt)],
              ["Duration", formatDuration(run.durationMs)],
              ["Attempt", String(run.attempt)],
              ["Agent", run.agentVersion],
            ]}
          />
        </Section>

        <Section title="Orchestrator" id="s-orchestrator">
          <Fields
            rows={[
              ["Kind", run.orchestrator.toLowerCase()],
              ["Pipeline run", run.pipelineRun],
              ...(run.parentRunId ? ([["Part of", <Link to={`/runs/${encodeURIComponent(run.parentRunId)}`}>{run.parentRunId}</Link>]] as [string, ReactNode][]) : []),
              ...(run.rollbackOf ? ([["Rollback of", <Link to={`/runs/${encodeURIComponent(run.rollbackOf)}`}>{run.rollbackOf}</Link>]] as [string, ReactNode][]) : []),
              ...(run.cachedFrom ? ([["Outputs from", <Link to={`/runs/${encodeURIComponent(run.cachedFrom)}`}>{run.cachedFrom}</Link>]] as [string, ReactNode][]) : []),
              ...(jobId ? ([["Slurm job", <span className="mono slurm-job">{jobId}</span>]] as [string, ReactNode][]) : []),
              ...attributes.map(([k, v]) => [k, <span className="mono">{v}</span>] as [string, ReactNode]),
            ]}
          />
          {links.length > 0 && (
            <p className="orchestrator-links">
              {links.map((l) => (
                <a key={l.href} className="button-link" href={l.href} target="_blank" rel="noreferrer noopener">
                  {l.label}
                </a>
              ))}
            </p>
          )}
        </Section>

        <Section title="Code" id="s-code">
          {code ? (
            <>
              <Fields
                rows={[
                  ["Commit", <span className="mono">{code.git?.commit || "—"}</span>],
                  ["Branch", code.git?.branch ?? ""],
                  ["Remote", code.git?.remoteUrl ?? ""],
                  ["Working tree", code.git ? (code.git.dirty ? <span className="badge warn">dirty</span> : "clean") : "not a git repository"],
                  ["Archive", code.archiveDigest ? `${shortDigest(code.archiveDigest)} (${formatBytes(code.archiveBytes)})` : "none"],
                ]}
              />
              {code.git?.dirty && code.git.patch && (
                <details>
                  <summary>Uncommitted changes</summary>
                  <pre className="patch">{code.git.patch}</pre>
                </details>
              )}
              <p className="hint">
                {code.files.length} files{code.leftOut.length > 0 ? `, ${code.leftOut.length} left out` : ""}: <a href="#s-files">below</a>
              </p>
            </>
          ) : (
            <p className="hint">No code snapshot.</p>
          )}
        </Section>

        <Section title="Host" id="s-host">
          {host ? (
            <>
              <Fields
                rows={[
                  ["Hostname", host.hostname || run.hostname],
                  ["CPU", `${host.cpuModel || "unknown"} × ${host.cpuCount}`],
                  ["Memory", formatBytes(host.memoryBytes)],
                  ["Arch / kernel", `${host.arch} / ${host.kernel}`],
                  ["CUDA driver", host.cudaDriverVersion],
                ]}
              />
              {host.gpus.length > 0 ? (
                <ul className="gpus">
                  {host.gpus.map((g) => (
                    <li key={`${g.index}-${g.uuid}`}>
                      GPU {g.index}: {g.model}, {formatBytes(g.memoryMib * 1024 * 1024)}, driver {g.driverVersion}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="hint">No GPUs.</p>
              )}
            </>
          ) : (
            <p className="hint">No host snapshot.</p>
          )}
        </Section>
      </div>

      {code && (
        <Section title="Files" id="s-files">
          <CodeFiles run={run} />
        </Section>
      )}

      <Section title="Environment" id="s-env">
        {env ? (
          <>
            <Fields
              rows={[
                ["Interpreter", env.interpreter ? `${env.interpreter.implementation} ${env.interpreter.version} (${env.interpreter.kind || "python"})` : ""],
                ["Executable", <span className="mono">{env.interpreter?.executable ?? ""}</span>],
                ["Platform", env.interpreter?.platform ?? ""],
                ["OS", env.os ? env.os.prettyName || `${env.os.id} ${env.os.versionId}` : ""],
                ["Image", env.image?.reference ? <span className="mono">{env.image.reference}</span> : "none"],
                ["Image digest", env.image?.digest ? <span className="mono">{env.image.digest}</span> : "—"],
                ["Environment digest", <span className="mono">{run.environmentDigest ?? "—"}</span>],
                ...(env.modules.length > 0 ? ([["Modules", env.modules.join(", ")]] as [string, ReactNode][]) : []),
              ]}
            />
            <PackageTable packages={env.packages} />
          </>
        ) : (
          <p className="hint">No environment snapshot.</p>
        )}
      </Section>

      <Section title="Resubmit" id="s-resubmit" className="resubmit">
        <ResubmitPanel run={run} />
      </Section>

      <div className="grid">
        <Section title="Configuration" id="s-config">
          <Fields
            rows={[
              ["Command", <code>{run.config?.argv.join(" ") ?? ""}</code>],
              ["Working directory", <span className="mono">{run.config?.cwd ?? ""}</span>],
              ...parameters.map(([k, v]) => [k, <span className="mono">{v}</span>] as [string, ReactNode]),
            ]}
          />
        </Section>

        <Section title="Environment variables" id="s-envvars" wide>
          {env && env.env.length > 0 ? (
            <table className="kv">
              <tbody>
                {env.env.map((v) => (
                  <tr key={v.name}>
                    <th scope="row" className="mono">
                      {v.name}
                    </th>
                    <td className="mono">{v.redacted ? <span className="badge muted">redacted</span> : v.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="hint">None recorded.</p>
          )}
        </Section>

        <Section title="Outputs" id="s-outputs">
          {run.outputs.length > 0 ? (
            <ul className="files mono">
              {run.outputs.map((o) => (
                <li key={o.path}>
                  {o.path} <span className="hint">{o.digest ? `${shortDigest(o.digest)}, ${formatBytes(o.size)}${o.stored ? ", stored" : ""}` : "missing"}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="hint">No declared outputs.</p>
          )}
        </Section>

        <Section title="Warnings" id="s-warnings">
          {run.warnings.length > 0 ? (
            <ul>
              {run.warnings.map((w, i) => (
                <li key={i}>
                  <strong>{w.source}</strong>: {w.message}
                </li>
              ))}
            </ul>
          ) : (
            <p className="hint">None.</p>
          )}
        </Section>
      </div>
    </article>
  );
}
