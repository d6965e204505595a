import { z } from "zod";
import { resolveOptions, type OptionSources } from "../../../core/config/resolve-options.js";

// Every default of the code restore lives here.
export const restoreCodeOptionsSchema = z.object({
  /** auto: git when the target is a clone that has the recorded commit, else the archive. */
  method: z.enum(["auto", "archive", "git"], { error: 'must be "auto", "archive" or "git"' }).default("auto"),
  /**
   * Bound on the bytes written from the archive. 1 GiB: ten times the capture's default archive
   * limit, so a site that raised that limit still restores, while a hostile snapshot cannot fill
   * the disk.
   */
  maxBytes: z.coerce.number({ error: "must be a number" }).int("must be a whole number").positive("must be positive").default(1024 * 1024 * 1024),
});

export type RestoreCodeOptions = z.infer<typeof restoreCodeOptionsSchema>;

export const RESTORE_CODE_ENV_NAMES = {
  method: "SNAPTRAIL_RESTORE_CODE_METHOD",
  maxBytes: "SNAPTRAIL_RESTORE_MAX_BYTES",
} as const;

export function resolveRestoreCodeOptions(sources: OptionSources): RestoreCodeOptions {
  return resolveOptions(restoreCodeOptionsSchema, RESTORE_CODE_ENV_NAMES, sources);
}

/** How many paths an error message names before "and N more". */
export const PATHS_IN_MESSAGES = 5;

/** "a, b, c and 4 more": the first few of a list, for error messages. */
export function listFew(items: readonly string[], limit = PATHS_IN_MESSAGES): string {
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}
