import type { CacheHit } from "../../../core/api-types.js";
import type { BlobStore } from "../../blobs/blob-store.js";
import type { Store } from "../../store/store.js";
import { HttpError } from "../http-error.js";

/** Cache sources tried, newest first, before a lookup is a miss: one whose blobs were collected may have an older twin. */
export const MAX_CACHE_CANDIDATES = 5;

/**
 * A cache hit (GET /api/v1/cache/:key, Query.GetCacheHit): the newest succeeded run with this
 * key whose every output is in the blob store; NOT_FOUND saying why when there is none.
 */
export async function findCacheHit(store: Store, blobs: BlobStore, key: string): Promise<CacheHit> {
  const candidates = await store.findCacheHits(key, MAX_CACHE_CANDIDATES);
  for (const hit of candidates) {
    const present = await Promise.all(hit.outputs.map((o) => blobs.has(o.digest)));
    if (present.every(Boolean)) return hit;
  }
  const why =
    candidates.length === 0
      ? "no successful run stored its outputs under it"
      : `the outputs of ${candidates.map((c) => c.run.runId).join(", ")} are no longer all in the blob store`;
  throw new HttpError(404, "NOT_FOUND", `no cache hit for key ${key}: ${why}`);
}
