import type { BlobStore } from "../../blobs/blob-store.js";
import { HttpError } from "../http-error.js";

/** A blob's bytes by digest (GET /api/v1/blobs/:digest, Query.GetBlob); NOT_FOUND when not stored. */
export async function getBlob(blobs: BlobStore, digest: string): Promise<Buffer> {
  const bytes = await blobs.get(digest);
  if (!bytes) throw new HttpError(404, "NOT_FOUND", `blob ${digest} is not stored`);
  return bytes;
}
