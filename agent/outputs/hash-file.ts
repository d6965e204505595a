import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { BadInputError } from "../../core/errors.js";

export interface FileHash {
  /** "sha256:<hex>" of the content. */
  digest: string;
  size: number;
  /** Permission bits (st_mode & 0o7777). */
  mode: number;
}

/**
 * Streams a regular file through SHA-256 (1 MiB reads, so memory stays flat whatever its size).
 * Size and mode come from the open descriptor, so they describe the file that was hashed even if
 * the name is replaced meanwhile. `signal` aborts a long read.
 */
export async function hashFile(path: string, signal?: AbortSignal): Promise<FileHash> {
  const handle = await open(path, "r");
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new BadInputError(`${path} is not a regular file`);
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false, highWaterMark: 1024 * 1024, signal }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { digest: `sha256:${hash.digest("hex")}`, size, mode: st.mode & 0o7777 };
  } finally {
    await handle.close();
  }
}
