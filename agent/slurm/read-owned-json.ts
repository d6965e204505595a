import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { NO_FOLLOW } from "./private-dir.js";

/**
 * A node-local JSON file the hooks wrote, parsed, or undefined: a link is refused, and with
 * `ownerUid` a file someone else owns (a hook must not take another user's word for a job), as
 * are a missing file and one that is not JSON.
 */
export function readOwnedJson(file: string, ownerUid: number | undefined): unknown {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NO_FOLLOW);
  } catch {
    return undefined;
  }
  try {
    if (ownerUid !== undefined && fstatSync(fd).uid !== ownerUid) return undefined;
    return JSON.parse(readFileSync(fd, "utf8")) as unknown;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
