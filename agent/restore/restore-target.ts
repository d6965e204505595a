import type { CollectorHttpClient } from "../../core/collector-http-client.js";
import { DIGEST_PATTERN } from "../../core/digest.js";
import { BadInputError, NotFoundError } from "../../core/errors.js";
import type { CodeSnapshot, EnvironmentSnapshot } from "../../core/model.js";

/** What a RUN_OR_SNAPSHOT reference names: a run's code and environment, or one snapshot. */
export interface RestoreTarget {
  /** The full run id when a run was named; null for a bare snapshot digest. */
  runId: string | null;
  /** What a new run records as `rollback_of`: the run id, else the snapshot digest. */
  rollbackOf: string;
  code: CodeSnapshot | null;
  codeDigest: string | null;
  environment: EnvironmentSnapshot | null;
  environmentDigest: string | null;
  /** The run's working directory, to run a restored command from the same place in the tree. */
  cwd: string | null;
}

/**
 * Resolves a run id (or unique prefix) or a snapshot digest through the collector. A run must
 * have its snapshots: restoring a run whose capture never arrived would restore nothing.
 */
export async function resolveRestoreTarget(ref: string, client: Pick<CollectorHttpClient, "getRun" | "getSnapshot">): Promise<RestoreTarget> {
  const trimmed = ref.trim();
  if (trimmed === "") throw new BadInputError("nothing to restore: give a run id (or unique prefix) or a snapshot digest sha256:<hex>");
  if (DIGEST_PATTERN.test(trimmed)) {
    const snapshot = await client.getSnapshot(trimmed);
    const base = { runId: null, rollbackOf: trimmed, code: null, codeDigest: null, environment: null, environmentDigest: null, cwd: null };
    if (snapshot.kind === "code") return { ...base, code: snapshot.body as CodeSnapshot, codeDigest: trimmed };
    if (snapshot.kind === "environment") return { ...base, environment: snapshot.body as EnvironmentSnapshot, environmentDigest: trimmed };
    throw new BadInputError(`${trimmed} is a host snapshot: only code and environment snapshots (or runs) can be restored`);
  }
  const run = await client.getRun(trimmed);
  if (!run.code && !run.environment) {
    throw new NotFoundError(`run ${run.runId} has no recorded code or environment snapshot (its capture never reached the collector): nothing to restore`);
  }
  return {
    runId: run.runId,
    rollbackOf: run.runId,
    code: run.code,
    codeDigest: run.codeDigest,
    environment: run.environment,
    environmentDigest: run.environmentDigest,
    cwd: run.config?.cwd || null,
  };
}
