import type { CodeSnapshot } from "../../../core/model.js";
import { sha256Digest } from "../../../core/digest.js";
import { DigestMismatchError, NotFoundError } from "../../../core/errors.js";

/**
 * The code archive's bytes, checked against the digest the snapshot records before anything is
 * read from them. NOT_FOUND when the capture left the archive out (over its size limit).
 */
export async function fetchVerifiedArchive(code: CodeSnapshot, fetch: () => Promise<Buffer>, why: string): Promise<Buffer> {
  if (code.archiveDigest === "") {
    throw new NotFoundError(`${why}, but the capture kept no code archive (the files were over its size limit)`);
  }
  const bytes = await fetch();
  const got = sha256Digest(bytes);
  if (got !== code.archiveDigest) {
    throw new DigestMismatchError(`the code archive has digest ${got}, the snapshot records ${code.archiveDigest}; nothing was restored`, {
      expected: code.archiveDigest,
      actual: got,
    });
  }
  return bytes;
}
