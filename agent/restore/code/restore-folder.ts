import { randomBytes } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from "node:fs";
import path from "node:path";
import { ConflictError } from "../../../core/errors.js";
import { listFew } from "./restore-code-options.js";

/**
 * Checks that `into` is missing or an empty folder (CONFLICT otherwise: nothing the user has
 * may be overwritten) and gives its permission bits when it exists. `hint` ends the message.
 */
export function checkEmptyTarget(into: string, hint = ""): { mode: number | null } {
  let st;
  try {
    st = lstatSync(into);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { mode: null };
    throw err;
  }
  if (!st.isDirectory()) {
    throw new ConflictError(`cannot restore into ${into}: it exists and is not a folder${hint}`);
  }
  const names = readdirSync(into).sort();
  if (names.length > 0) {
    throw new ConflictError(`cannot restore into ${into}: the folder is not empty (${listFew(names)}); restore into a new or empty folder${hint}`);
  }
  return { mode: st.mode & 0o7777 };
}

/**
 * A new folder beside `into` (same file system, so the final rename is atomic), and the
 * outermost folder made on the way to it, if any, for `removeMadeParents`.
 */
export function makeSiblingTemp(into: string): { tmp: string; madeParent: string | undefined } {
  const abs = path.resolve(into);
  const parent = path.dirname(abs);
  const madeParent = mkdirSync(parent, { recursive: true });
  const tmp = path.join(parent, `.${path.basename(abs)}.snaptrail-restore-${randomBytes(6).toString("hex")}`);
  mkdirSync(tmp, { mode: 0o777 }); // the umask applies, as to any folder the user makes
  return { tmp, madeParent };
}

/** Removes the folders makeSiblingTemp made above the target, while they are still empty. */
function removeMadeParents(into: string, madeParent: string | undefined): void {
  if (madeParent === undefined) return;
  for (let dir = path.dirname(path.resolve(into)); dir.length >= madeParent.length; dir = path.dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}

/**
 * Fills a temporary sibling of `into` with `fill`, then renames it to `into`, so `into` is
 * either untouched or complete, never half restored. An existing empty `into` keeps its mode.
 */
export async function restoreViaSibling<T>(into: string, mode: number | null, fill: (tmp: string) => Promise<T>): Promise<T> {
  const { tmp, madeParent } = makeSiblingTemp(into);
  try {
    const result = await fill(tmp);
    if (mode !== null) chmodSync(tmp, mode);
    try {
      // rename(2) replaces an empty folder and fails on a non-empty one: what the user wrote
      // there meanwhile is kept.
      renameSync(tmp, into);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOTDIR") {
        throw new ConflictError(`cannot restore into ${into}: something was written there while restoring; it was left as it is`, { cause: err });
      }
      throw err;
    }
    return result;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    removeMadeParents(into, madeParent);
    throw err;
  }
}
