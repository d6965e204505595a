import type { FastifyInstance, FastifyRequest } from "fastify";
import type { RunDetail } from "../../../core/api-types.js";
import { shellJoin } from "../../../core/diff/shell-quote.js";
import { errorMessage, SnaptrailError } from "../../../core/errors.js";
import type { ResubmitAnswer } from "../../../core/ui-api-types.js";
import { NO_RESUBMITTER, type CollectorResubmission } from "../../resubmit/collector-resubmitter.js";
import { ResubmitAuditLog, type ResubmitAuditEntry } from "../../resubmit/resubmit-audit-log.js";
import { HttpError } from "../http-error.js";
import type { UiRouteContext } from "./ui-routes.js";

type ResubmitRequest = FastifyRequest<{ Params: { runId: string }; Querystring: Record<string, unknown> }>;

/** ?dryRun, ?dryRun=true or =1: a dry run; absent, false or 0: submit. Anything else is refused. */
function dryRunParam(query: Record<string, unknown>): boolean {
  const unknown = Object.keys(query).filter((k) => k !== "dryRun");
  if (unknown.length > 0) throw new HttpError(400, "BAD_INPUT", `unknown query parameter ${unknown.join(", ")}`);
  const v = query.dryRun;
  if (v === undefined || v === "false" || v === "0") return false;
  if (v === "" || v === "true" || v === "1") return true;
  throw new HttpError(400, "BAD_INPUT", "invalid query parameter dryRun: expected true or false", { parameter: "dryRun" });
}

/**
 * GET /api/v1/runs/:runId/resubmit: the dry run (readers may look), computed by the same adapters
 * as `snaptrail resubmit --dry-run`, with the exact command to run it from a shell.
 * POST (operators): the same, and unless ?dryRun, the submission itself through the collector's
 * own orchestrator credentials, recorded with who asked before and after it is sent.
 */
export function registerResubmitRoutes(app: FastifyInstance, context: UiRouteContext): void {
  const resubmitter = context.resubmitter ?? NO_RESUBMITTER;
  const audit = context.resubmitAuditLog ? new ResubmitAuditLog(context.resubmitAuditLog) : undefined;
  const log = context.log.child({ component: "resubmit" });

  const plan = async (request: ResubmitRequest, run: RunDetail): Promise<ResubmitAnswer> => {
    // The collector as this caller reached it: the command is run from where they are.
    const collectorHttp = `${request.protocol}://${request.host}`;
    const cannot = resubmitter.cannotSubmit(run.orchestrator);
    const answer: ResubmitAnswer = {
      runId: run.runId,
      orchestrator: run.orchestrator,
      dryRun: true,
      cliCommand: shellJoin(["snaptrail", "resubmit", run.runId, ...resubmitter.cliFlags(run.orchestrator), "--collector-http", collectorHttp]),
      canSubmit: cannot === undefined,
      cannotSubmitBecause: cannot?.message ?? null,
      plan: null,
      planError: null,
      jobId: null,
      expectedRunId: null,
      requestedBy: null,
    };
    if (resubmitter === NO_RESUBMITTER) return { ...answer, planError: cannot?.message ?? null };
    const dry = await resubmitter.resubmit(run, true, collectorHttp);
    if (dry.ok) return { ...answer, plan: planOf(dry.value) };
    if (dry.error instanceof SnaptrailError) return { ...answer, planError: dry.error.message };
    throw dry.error;
  };

  app.get("/api/v1/runs/:runId/resubmit", async (request: ResubmitRequest) => {
    dryRunParam(request.query);
    return plan(request, await context.resolveRun(context.store, request.params.runId, "run"));
  });

  app.post("/api/v1/runs/:runId/resubmit", async (request: ResubmitRequest) => {
    const dryRun = dryRunParam(request.query);
    // A submission acts on exactly the run named: no prefix.
    const run = await context.resolveRun(context.store, request.params.runId, "run", !dryRun);
    const answer = await plan(request, run);
    if (dryRun) return answer;
    const cannot = resubmitter.cannotSubmit(run.orchestrator);
    if (cannot) throw new HttpError(cannot.code === "NOT_CONFIGURED" ? 501 : 409, cannot.code, cannot.message);
    if (!audit) throw new HttpError(501, "NOT_CONFIGURED", "this collector has no resubmit audit log (resubmitAuditLog): it submits nothing it cannot record");
    const principal = request.principal;
    const who: ResubmitAuditEntry = {
      event: "requested",
      runId: run.runId,
      orchestrator: run.orchestrator,
      tokenId: principal?.tokenId ?? null,
      tokenName: principal?.name ?? null,
      role: principal?.role ?? null,
      ip: request.ip,
    };
    await audit.append(who);
    log.info({ runId: run.runId, token: who.tokenId, name: who.tokenName }, "resubmitting a run");
    const result = await resubmitter.resubmit(run, false, `${request.protocol}://${request.host}`).catch((err: unknown) => ({ ok: false as const, retryable: false, error: err instanceof Error ? err : new Error(String(err)) }));
    if (!result.ok) {
      await audit.append({ ...who, event: "failed", error: errorMessage(result.error) });
      throw result.error;
    }
    const r = result.value;
    await audit.append({ ...who, event: "submitted", jobId: r.externalId, ...(r.expectedRunId ? { expectedRunId: r.expectedRunId } : {}) });
    return {
      ...answer,
      dryRun: false,
      plan: planOf(r),
      jobId: r.externalId || null,
      expectedRunId: r.expectedRunId ?? null,
      requestedBy: principal ? { tokenId: principal.tokenId, name: principal.name } : null,
    } satisfies ResubmitAnswer;
  });
}

function planOf(r: CollectorResubmission): NonNullable<ResubmitAnswer["plan"]> {
  return { detail: r.detail, commands: r.commands, script: r.script ?? null };
}
