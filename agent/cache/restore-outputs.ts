import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { CacheHit } from "../../core/api-types.js";
import { sha256Digest } from "../../core/digest.js";
import { DigestMismatchError, MismatchError } from "../../core/errors.js";
import { stageFile, type StagedFile } from "../../core/fs/atomic-write.js";

export interface BlobSource {
  getBlob(digest: string): Promise<Buffer>;
}

/**
 * Writes a cache hit's outputs where this run declared its own: every blob is downloaded and
 * checked against its digest and size into a temporary file beside its target first, and only
 * when all are good are they renamed into place (each rename atomic and made durable, modes kept
 * exactly whatever the umask). A failure
 * leaves the targets as they were and throws: the caller then runs the command.
 */
export async function restoreOutputs(hit: CacheHit, cwd: string, declared: readonly string[], blobs: BlobSource): Promise<void> {
  const roots = declared.map((d) => path.resolve(cwd, d));
  const staged: StagedFile[] = [];
  try {
    for (const output of hit.outputs) {
      const target = path.resolve(cwd, output.path);
      // The paths come from the collector: write only where this run declared outputs.
      if (!roots.some((r) => target === r || target.startsWith(`${r}${path.sep}`))) {
        throw new MismatchError(`cached output ${output.path} is not under a declared --output`);
      }
      const bytes = await blobs.getBlob(output.digest);
      const actual = sha256Digest(bytes);
      if (actual !== output.digest || bytes.length !== Number(output.size)) {
        throw new DigestMismatchError(`cached output ${output.path}: the blob is ${actual} (${bytes.length} bytes), not ${output.digest} (${output.size} bytes)`, {
          expected: output.digest,
          actual,
        });
      }
      await mkdir(path.dirname(target), { recursive: true });
      // The mode comes from the collector too: permission bits only, never setuid, setgid or
      // sticky (a cached binary must not come back able to run as its owner).
      staged.push(await stageFile(target, bytes, { mode: output.mode & 0o777 || 0o644 }));
    }
    for (const s of staged) await s.commit();
  } finally {
    await Promise.all(staged.map((s) => s.discard()));
  }
}
