import { useState } from "react";
import { Link } from "react-router";
import type { RunDetail } from "../../../core/api-types";
import type { ResubmitAnswer } from "../../../core/ui-api-types";
import { api, ApiError } from "../api";
import { mayResubmit, useSession } from "../session";
import { useApi } from "../use-api";
import { LoadedView } from "./message";

// Resubmit from the run page: the dry run (the collector computes it with the same adapters as
// `snaptrail resubmit --dry-run`) and the exact command to run it from a shell; operators submit
// through the collector when it holds the orchestrator's credentials. Nothing is sent without a
// second click.

type Submitting = { state: "idle" } | { state: "confirm" } | { state: "sending" } | { state: "done"; answer: ResubmitAnswer } | { state: "error"; error: Error };

export function ResubmitPanel({ run }: { run: RunDetail }) {
  const loaded = useApi(run.runId, (signal) => api.resubmitPlan(run.runId, signal));
  return (
    <div className="resubmit-body">
      <LoadedView loaded={loaded} what="the dry run" minHeight={220}>
        {(plan) => <ResubmitView run={run} plan={plan} />}
      </LoadedView>
    </div>
  );
}

function ResubmitView({ run, plan }: { run: RunDetail; plan: ResubmitAnswer }) {
  const session = useSession();
  const [submitting, setSubmitting] = useState<Submitting>({ state: "idle" });
  const send = async () => {
    setSubmitting({ state: "sending" });
    try {
      setSubmitting({ state: "done", answer: await api.resubmit(run.runId) });
    } catch (err) {
      setSubmitting({ state: "error", error: err instanceof Error ? err : new Error(String(err)) });
    }
  };
  return (
    <>
      <h3>Dry run</h3>
      {plan.plan ? (
        <>
          <p className="plan-detail">{plan.plan.detail}</p>
          <pre className="plan-commands" aria-label="Commands the resubmission runs">
            {plan.plan.commands.join("\n")}
          </pre>
          {plan.plan.script !== null && (
            <details>
              <summary>The batch script</summary>
              <pre>{plan.plan.script}</pre>
            </details>
          )}
        </>
      ) : (
        <p className="hint plan-error">No dry run here: {plan.planError ?? plan.cannotSubmitBecause ?? "unknown reason"}</p>
      )}
      <h3>From a shell</h3>
      <pre className="cli-command" aria-label="The command to run">
        {plan.cliCommand}
      </pre>
      <p className="hint">
        Add <code>--dry-run</code> to see the same plan first.
      </p>
      <h3>Through the collector</h3>
      <div className="resubmit-actions">
        {!plan.canSubmit ? (
          <span className="hint cannot-submit">Not from here: {plan.cannotSubmitBecause}</span>
        ) : submitting.state === "idle" || submitting.state === "error" ? (
          <>
            <button type="button" onClick={() => setSubmitting({ state: "confirm" })}>
              Resubmit through the collector…
            </button>
            {!mayResubmit(session) && <span className="hint">Operators only.</span>}
          </>
        ) : submitting.state === "confirm" ? (
          <>
            <button type="button" className="primary" onClick={() => void send()} autoFocus>
              Confirm: resubmit {run.runId}
            </button>
            <button type="button" onClick={() => setSubmitting({ state: "idle" })}>
              Cancel
            </button>
          </>
        ) : submitting.state === "sending" ? (
          <span aria-busy="true">Submitting…</span>
        ) : (
          <span className="message resubmitted" role="status">
            {submitting.answer.plan?.detail}
            {submitting.answer.expectedRunId && (
              <>
                {" "}
                Expected run: <Link to={`/runs/${encodeURIComponent(submitting.answer.expectedRunId)}`}>{submitting.answer.expectedRunId}</Link>.
              </>
            )}
          </span>
        )}
      </div>
      {submitting.state === "error" && (
        <div className="message error" role="alert">
          {submitting.error instanceof ApiError && submitting.error.status === 403 ? "Not resubmitted: " : "Resubmit failed: "}
          {submitting.error.message}
        </div>
      )}
    </>
  );
}
