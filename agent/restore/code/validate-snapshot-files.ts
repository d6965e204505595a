import type { CodeSnapshot } from "../../../core/model.js";
import { BadInputError, UnsafeArchiveError } from "../../../core/errors.js";
import { parentPaths, unsafePathReason } from "./unsafe-path-reason.js";

/**
 * The snapshot's file list decides what may be written and what is read back, so it is held to
 * the same rules as the archive: a snapshot comes over the network from any agent.
 */
export function validateSnapshotFiles(code: CodeSnapshot): void {
  const paths = new Set<string>();
  for (const f of code.files) {
    const reason = unsafePathReason(f.path);
    if (reason !== null) throw new UnsafeArchiveError(`the code snapshot lists ${JSON.stringify(f.path)}: ${reason}; nothing was restored`);
    if (paths.has(f.path)) throw new UnsafeArchiveError(`the code snapshot lists ${f.path} twice; nothing was restored`);
    if (!Number.isSafeInteger(f.size) || f.size < 0) throw new BadInputError(`the code snapshot records a size of ${f.size} for ${f.path}`);
    paths.add(f.path);
  }
  for (const p of paths) {
    const asFolder = parentPaths(p).find((parent) => paths.has(parent));
    if (asFolder !== undefined) throw new UnsafeArchiveError(`the code snapshot lists ${asFolder} both as a file and as the folder of ${p}; nothing was restored`);
  }
}
