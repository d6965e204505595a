import { chmodSync, closeSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

// The collector's files hold every team's environments, env vars and code: they are created
// readable by their owner only (0600 files, 0700 folders) whatever the umask, and an existing
// one that is looser is named once, since changing its mode silently could break whoever set it.

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` and missing parents; the folders it creates are 0700. Existing ones are left alone. */
export function ensurePrivateDir(dir: string): void {
  const first = mkdirSync(resolve(dir), { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  // mkdir's mode passes through the umask, which may only take bits away: 0700 stays 0700 or
  // less, but set it exactly so a umask of 0077 and one of 0 give the same folder.
  for (let d = resolve(dir); ; d = dirname(d)) {
    chmodSync(d, PRIVATE_DIR_MODE);
    if (d === first || dirname(d) === d) break;
  }
}

/** Creates `path` empty with mode 0600 when it does not exist (its folder as ensurePrivateDir). */
export function ensurePrivateFile(path: string): void {
  ensurePrivateDir(dirname(path));
  let fd: number;
  try {
    fd = openSync(path, "wx", PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return;
    throw err;
  }
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/** "mode 0644: readable by group and others" when group or others have any access to `path`; else undefined. */
export function looserThanPrivate(path: string): string | undefined {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  const who = [mode & 0o070 ? "group" : "", mode & 0o007 ? "others" : ""].filter(Boolean).join(" and ");
  return `mode 0${mode.toString(8)}: open to ${who}`;
}
