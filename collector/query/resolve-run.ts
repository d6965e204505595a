import type { RunDetail } from "../../core/api-types.js";
import type { Store } from "../store/store.js";
import { HttpError } from "./http-error.js";

/** The most candidates a 409 for an ambiguous run prefix lists. */
export const MAX_CANDIDATES = 10;

/**
 * A run by exact id, else by a unique prefix. None: 404; several: 409 listing the candidates.
 * `what` names the parameter in messages ("run", "a", "b").
 */
export async function resolveRun(store: Store, ref: string, what: string, exactOnly = false): Promise<RunDetail> {
  const exact = await store.getRun(ref);
  if (exact) return exact;
  // A prefix is a search: a caller who may not search gets the same answer for a prefix as for no run.
  if (exactOnly) throw new HttpError(404, "NOT_FOUND", `no run ${what} "${ref}"`);
  const candidates = await store.findRunIds(ref, MAX_CANDIDATES + 1);
  if (candidates.length === 1) {
    const run = await store.getRun(candidates[0]!);
    if (run) return run;
  }
  if (candidates.length === 0) throw new HttpError(404, "NOT_FOUND", `no run matches ${what} "${ref}"`);
  throw new HttpError(409, "AMBIGUOUS", `${what} "${ref}" matches more than one run; give more of the id`, {
    candidates: candidates.slice(0, MAX_CANDIDATES),
  });
}
