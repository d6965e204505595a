import type { RunDiff } from "../../../core/api-types.js";
import type { BlobStore } from "../../blobs/blob-store.js";
import type { Store } from "../../store/store.js";
import { resolveRun } from "../resolve-run.js";

/** What changed from run a to run b, each named by id or unique prefix (GET /api/v1/diff, Query.DiffRuns). */
export async function diffRunRefs(store: Store, blobs: BlobStore, refs: { a: string; b: string }): Promise<RunDiff> {
  const [a, b] = await Promise.all([resolveRun(store, refs.a, "a"), resolveRun(store, refs.b, "b")]);
  // The diff engine (and its text diff library) loads only when a diff is asked for.
  const { diffRuns } = await import("../../diff/diff-runs.js");
  return diffRuns(a, b, blobs);
}
