import type { RunPage } from "../../../core/api-types.js";
import type { Store } from "../../store/store.js";
import { encodeCursor } from "../schemas/query-params.js";
import { toRunQuery, type RunsQuery } from "../schemas/run-filters.js";

/** The runs list (GET /api/v1/runs, Query.ListRuns): one page for parsed filters. */
export async function listRuns(store: Store, query: RunsQuery): Promise<RunPage> {
  const page = await store.listRunPage(toRunQuery(query));
  return { runs: page.runs, nextCursor: page.next ? encodeCursor(page.next) : null };
}
