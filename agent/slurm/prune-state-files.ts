import { lstatSync, readdirSync, unlinkSync } from "node:fs";
import path from "node:path";

/** State files (job-*.json and their .python/.log companions) and array record caches older than this go. */
export const STATE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Removes the user folder's job state files and array caches older than a day. The epilog leaves
 * them (a job's Python report may still be starting when the job ends), so the next batch task
 * prolog on the node cleans up: one readdir and a stat per file.
 */
export function pruneStateFiles(userDir: string, nowMs = Date.now()): number {
  let removed = 0;
  for (const name of readdirSync(userDir)) {
    if (!/^(job-|array-)/.test(name)) continue;
    const file = path.join(userDir, name);
    try {
      const st = lstatSync(file);
      if (st.isFile() && nowMs - st.mtimeMs > STATE_MAX_AGE_MS) {
        unlinkSync(file);
        removed++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}
