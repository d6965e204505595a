import type { RunQuery, RunSummary, StepTimeline } from "../../../core/api-types.js";
import type { Store } from "../../store/store.js";
import { encodeCursor } from "../schemas/query-params.js";
import type { TimelineQuery } from "../schemas/request-schemas.js";

/**
 * One step's runs, newest first, each marked with what changed from the step's run before it
 * (GET /api/v1/timeline, Query.StepTimeline): "it broke after the environment changed" without
 * diffing every pair. The oldest run of a page is compared with the first run of the next page,
 * read here, so a page boundary never hides a change.
 */
export async function stepTimeline(store: Store, query: TimelineQuery): Promise<StepTimeline> {
  const base: RunQuery = { pipeline: query.pipeline, step: query.step };
  const page = await store.listRunPage({ ...base, ...(query.cursor ? { after: query.cursor } : {}), ...(query.limit ? { limit: query.limit } : {}) });
  const older = page.next ? (await store.listRunPage({ ...base, after: page.next, limit: 1 })).runs[0] : undefined;
  const changed = (run: RunSummary, before: RunSummary | undefined) => ({
    environmentChanged: before !== undefined && before.environmentDigest !== run.environmentDigest,
    codeChanged: before !== undefined && (before.codeDigest !== run.codeDigest || before.gitCommit !== run.gitCommit),
  });
  return {
    runs: page.runs.map((run, i) => ({ run, ...changed(run, page.runs[i + 1] ?? older) })),
    nextCursor: page.next ? encodeCursor(page.next) : null,
  };
}
