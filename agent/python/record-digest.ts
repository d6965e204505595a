import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

// Files an installer writes into the .dist-info folder itself: they differ between pip and uv and
// between installs of one wheel, so they say nothing about which build it was.
const INSTALLER_WRITTEN = new Set(["INSTALLER", "REQUESTED", "RECORD", "direct_url.json"]);
// A RECORD bigger than this (torch's is about 3 MB) is not a wheel's.
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** One CSV row of RECORD: path, hash, size; a path with a comma or quote is quoted. */
function parseRow(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = "";
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      out.push(value);
      i = line.indexOf(",", i) === -1 ? line.length + 1 : line.indexOf(",", i) + 1;
    } else {
      const end = line.indexOf(",", i);
      out.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return out;
}

/**
 * A digest of the build a distribution was installed from: SHA-256 over the sorted "path hash"
 * pairs of its RECORD, leaving out what the installer made rather than copied (INSTALLER, REQUESTED,
 * direct_url.json, RECORD itself, uv's uv_*.json, bytecode, and anything outside the site folder: console scripts
 * get this venv's python in their first line). Two wheels of the same name and version with any
 * different file give different digests; pip and uv installing one wheel give the same. "" when
 * RECORD lists no hashed file.
 */
export function recordDigest(recordText: string, distInfoDir: string): string {
  const entries: string[] = [];
  for (const line of recordText.split(/\r?\n/)) {
    if (line === "") continue;
    const [file = "", hash = ""] = parseRow(line);
    if (hash === "" || file.startsWith("../") || file.startsWith("/") || file.includes("__pycache__/") || file.endsWith(".pyc")) continue;
    const slash = file.indexOf("/");
    // uv adds uv_cache.json (and may add other uv_* files) for local and find-links wheels.
    if (slash !== -1 && file.slice(0, slash) === distInfoDir && (INSTALLER_WRITTEN.has(file.slice(slash + 1)) || file.slice(slash + 1).startsWith("uv_"))) continue;
    entries.push(`${file}\0${hash}`);
  }
  if (entries.length === 0) return "";
  entries.sort();
  return `sha256:${createHash("sha256").update(entries.join("\n")).digest("hex")}`;
}

/** RECORD's text, or null when there is none (or it is not a regular file, or absurdly large). */
export function readRecordSync(file: string): string | null {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_RECORD_BYTES) return null;
    const buf = Buffer.allocUnsafe(st.size);
    let total = 0;
    while (total < st.size) {
      const n = readSync(fd, buf, total, st.size - total, total);
      if (n === 0) break;
      total += n;
    }
    return buf.toString("utf8", 0, total);
  } finally {
    closeSync(fd);
  }
}
