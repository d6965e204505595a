import { constants, lstatSync, mkdirSync } from "node:fs";

/**
 * A folder only `uid` may use: created 0700 when missing; when it exists it must be a real folder
 * (no symlink), owned by `uid` and closed to others. /tmp is shared: another user could have made
 * the name first, to read what the hooks write or to plant a file the epilog would trust.
 * Throws with the reason otherwise.
 */
export function ensurePrivateDir(dir: string, uid: number): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  checkPrivateDir(dir, uid);
  return dir;
}

/** Throws unless `dir` is a folder (not a link) owned by `uid` with no access for group or others. */
export function checkPrivateDir(dir: string, uid: number): void {
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a folder (a link or a file): not used`);
  if (st.uid !== uid) throw new Error(`${dir} belongs to uid ${st.uid}, not ${uid}: not used`);
  if ((st.mode & 0o077) !== 0) throw new Error(`${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)}): not used`);
}

/** open() flags that refuse to follow a link planted at the file's name. */
export const NO_FOLLOW = constants.O_NOFOLLOW;
