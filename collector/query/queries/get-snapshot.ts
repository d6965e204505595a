import type { StoredSnapshot } from "../../../core/api-types.js";
import type { Store } from "../../store/store.js";
import { HttpError } from "../http-error.js";

/** A snapshot body by digest (GET /api/v1/snapshots/:digest, Query.GetSnapshot); NOT_FOUND when not stored. */
export async function getSnapshot(store: Store, digest: string): Promise<StoredSnapshot> {
  const snapshot = await store.getSnapshot(digest);
  if (!snapshot) throw new HttpError(404, "NOT_FOUND", `snapshot ${digest} is not stored`);
  return snapshot;
}
