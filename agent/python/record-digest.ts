import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

// Files an installer writes into the .dist-info folder itself: they differ between pip and uv and
// between installs of one wheel, so they say nothing about which build it was.
const INSTALLER_WRITTEN = new Set(["INSTALLER", "REQUESTED", "RECORD", "direct_url.json"]);
// A RECORD bigger than this (torch's is about 3 MB) is not a wheel's.
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** One CSV row of RECORD: path, hash, size; a path with a comma or quote is quoted. */
export function parseRecordRow(line: string): string[] {
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
 *
 * A cold capture runs this over every wheel's RECORD (8 MB for 300 distributions), so it walks the
 * text by index instead of splitting it into lines and fields: a line with no quote is cut at its
 * first two commas where it is, and only a quoted line goes through the CSV parser. The next quote,
 * slash and `__pycache__/` are each searched for once and remembered until the walk passes them, so
 * the walk stays linear. The entries, their order and the hashed bytes are those of the plain
 * split-and-parse form (recordDigestReference in the tests).
 */
export function recordDigest(recordText: string, distInfoDir: string): string {
  const text = recordText;
  const n = text.length;
  const entries: string[] = [];
  let nextQuote = -1;
  let nextSlash = -1;
  let nextPycache = -1;
  let start = 0;
  while (start < n) {
    const newline = text.indexOf("\n", start);
    const stop = newline === -1 ? n : newline;
    // "\r\n" ends a line as "\n" does; a lone "\r" is part of the line, as in the split form.
    const end = newline !== -1 && stop > start && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
    const lineStart = start;
    start = stop + 1;
    if (end === lineStart) continue;
    if (nextQuote !== -1 && nextQuote < lineStart) nextQuote = -1;
    if (nextQuote === -1) nextQuote = text.indexOf('"', lineStart);
    if (nextQuote === -1) nextQuote = n;
    let file: string;
    let hash: string;
    if (nextQuote < end) {
      // A quoted field: the CSV parser decides, and the checks below run on its values.
      const line = text.slice(lineStart, end);
      [file = "", hash = ""] = parseRecordRow(line);
      if (!keepRow(file, hash, distInfoDir)) continue;
      entries.push(`${file}\0${hash}`);
      continue;
    }
    const fileStart = lineStart;
    const comma = text.indexOf(",", lineStart);
    if (comma === -1 || comma >= end) continue; // no hash
    const fileEnd = comma;
    const next = text.indexOf(",", comma + 1);
    const hashEnd = next === -1 || next >= end ? end : next;
    if (hashEnd === comma + 1) continue; // no hash
    // Neither "../", "/", "__pycache__/" nor ".pyc" holds a comma or a line break, so a match that
    // starts inside the path also ends inside it.
    const c0 = text.charCodeAt(fileStart);
    if (c0 === 47 || text.startsWith("../", fileStart)) continue;
    if (nextPycache !== -1 && nextPycache < fileStart) nextPycache = -1;
    if (nextPycache === -1) nextPycache = text.indexOf("__pycache__/", fileStart);
    if (nextPycache === -1) nextPycache = n;
    if (nextPycache < fileEnd) continue;
    if (fileEnd - fileStart >= 4 && text.startsWith(".pyc", fileEnd - 4)) continue;
    if (nextSlash !== -1 && nextSlash < fileStart) nextSlash = -1;
    if (nextSlash === -1) nextSlash = text.indexOf("/", fileStart);
    if (nextSlash === -1) nextSlash = n;
    if (nextSlash < fileEnd && nextSlash - fileStart === distInfoDir.length && text.startsWith(distInfoDir, fileStart)) {
      // As keepRow: uv adds uv_cache.json (and may add other uv_* files) for local and find-links wheels.
      const rest = text.slice(nextSlash + 1, fileEnd);
      if (INSTALLER_WRITTEN.has(rest) || rest.startsWith("uv_")) continue;
    }
    file = text.slice(fileStart, fileEnd);
    hash = text.slice(comma + 1, hashEnd);
    entries.push(`${file}\0${hash}`);
  }
  if (entries.length === 0) return "";
  entries.sort();
  return `sha256:${createHash("sha256").update(entries.join("\n")).digest("hex")}`;
}

/** Whether a parsed RECORD row is hashed and was copied from the wheel rather than made by the installer. */
function keepRow(file: string, hash: string, distInfoDir: string): boolean {
  if (hash === "" || file.startsWith("../") || file.startsWith("/") || file.includes("__pycache__/") || file.endsWith(".pyc")) return false;
  const slash = file.indexOf("/");
  // uv adds uv_cache.json (and may add other uv_* files) for local and find-links wheels.
  return !(slash !== -1 && file.slice(0, slash) === distInfoDir && (INSTALLER_WRITTEN.has(file.slice(slash + 1)) || file.slice(slash + 1).startsWith("uv_")));
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
