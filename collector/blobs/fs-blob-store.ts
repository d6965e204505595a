import { constants } from "node:fs";
import { access, readFile, readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { DIGEST_PATTERN } from "../../core/digest.js";
import { BadInputError, errorMessage, UnavailableError } from "../../core/errors.js";
import { CheckedUpload } from "./checked-upload.js";
import { isTempFileName, stageFile } from "../../core/fs/atomic-write.js";
import { ensurePrivateDir, PRIVATE_FILE_MODE } from "../../core/fs/private-files.js";
import type { BlobStore } from "./blob-store.js";

export interface FsBlobStoreOptions {
  /** A blob larger than this is refused with TooLargeError (nothing is kept). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BLOB_BYTES = 512 * 1024 * 1024;

/**
 * Content-addressed files: DIR/sha256/ab/<hex>. A blob is written to a temporary file in its
 * final folder while its hash is computed, fsync'ed, and renamed into place only when the hash
 * matches; a reader therefore never sees a partial or wrong blob, and two writers of the same
 * blob both succeed (rename is atomic and both files hold the same bytes).
 */
export class FsBlobStore implements BlobStore {
  readonly dir: string;
  readonly maxBytes: number;

  constructor(dir: string, options: FsBlobStoreOptions = {}) {
    this.dir = dir;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
  }

  /** Where a blob lives (whether or not it is there). Throws BAD_INPUT for a malformed digest. */
  pathOf(digest: string): string {
    if (!DIGEST_PATTERN.test(digest)) throw new BadInputError(`"${digest}" is not a sha256:<64 hex> digest`);
    const hex = digest.slice("sha256:".length);
    return join(this.dir, "sha256", hex.slice(0, 2), hex);
  }

  async has(digest: string): Promise<boolean> {
    if (!DIGEST_PATTERN.test(digest)) return false;
    try {
      await access(this.pathOf(digest), constants.F_OK);
      return true;
    } catch {
      return false;
    }
  }

  async get(digest: string): Promise<Buffer | undefined> {
    if (!DIGEST_PATTERN.test(digest)) return undefined;
    try {
      return await readFile(this.pathOf(digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  async put(digest: string, chunks: AsyncIterable<Uint8Array> | Uint8Array): Promise<{ bytes: number; alreadyPresent: boolean }> {
    const finalPath = this.pathOf(digest);
    const upload = new CheckedUpload(digest, chunks, this.maxBytes);
    if (await this.has(digest)) return { bytes: await upload.drain(), alreadyPresent: true };
    // Blobs are every team's code and outputs: private folders and files, whatever the umask.
    ensurePrivateDir(join(finalPath, ".."));
    const staged = await stageFile(finalPath, upload.chunks(), { mode: PRIVATE_FILE_MODE });
    try {
      upload.verify();
      await staged.commit();
      return { bytes: upload.bytes, alreadyPresent: false };
    } finally {
      await staged.discard();
    }
  }

  /**
   * Deletes temporary files left by uploads a crash interrupted, when older than `olderThanMs`
   * (so uploads in progress are left alone). Returns how many were removed.
   */
  async removeStaleTemporaryFiles(olderThanMs = 60 * 60 * 1000): Promise<number> {
    const root = join(this.dir, "sha256");
    let removed = 0;
    let folders: string[];
    try {
      folders = await readdir(root);
    } catch {
      return 0;
    }
    for (const folder of folders) {
      let names: string[];
      try {
        names = await readdir(join(root, folder));
      } catch {
        continue;
      }
      for (const name of names) {
        if (!isTempFileName(name)) continue;
        const path = join(root, folder, name);
        try {
          if (Date.now() - (await stat(path)).mtimeMs < olderThanMs) continue;
          await unlink(path);
          removed++;
        } catch {
          // gone already, or not ours to remove
        }
      }
    }
    return removed;
  }

  async ping(): Promise<void> {
    try {
      await access(this.dir, constants.W_OK | constants.X_OK);
    } catch (err) {
      throw new UnavailableError(`the blob folder ${this.dir} cannot be written: ${errorMessage(err)}`, { cause: err });
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
