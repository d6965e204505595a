import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

const CHUNK_BYTES = 16 * 1024;

// Synchronous on purpose: a capture reads a few hundred tiny files, and plain reads are several
// times faster than a round trip through the thread pool for each open, read and close.

/**
 * The start of a metadata file up to and including the blank line that ends its headers (or the
 * whole file when it has none, at most `maxBytes`). Long package descriptions after the headers
 * are never read.
 */
export function readHeaderBlockSync(file: string, maxBytes = 1024 * 1024): Buffer {
  const fd = openRegularFileSync(file);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < maxBytes) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes - total));
      const bytesRead = readSync(fd, buf, 0, buf.length, total);
      if (bytesRead === 0) break;
      // Search from a little before this chunk so a "\n\n" split across chunks is seen.
      const from = Math.max(0, total - 3);
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      const sofar = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const end = headerEnd(sofar, from);
      if (end !== -1) return sofar.subarray(0, end);
      if (bytesRead < buf.length) break;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

// Reused by readSmallFileSync, which is synchronous and so never shares it.
const scratch = Buffer.allocUnsafe(64 * 1024);

/** A small file's text (at most 64 KiB of it), or null when it does not exist. */
export function readSmallFileSync(file: string): string | null {
  let fd: number;
  try {
    fd = openRegularFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw err;
  }
  try {
    let total = 0;
    while (total < scratch.length) {
      const n = readSync(fd, scratch, total, scratch.length - total, total);
      if (n === 0) break;
      total += n;
    }
    return scratch.toString("utf8", 0, total);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens a file for reading, refusing anything but a regular file. O_NONBLOCK keeps a FIFO left in
 * a broken environment from blocking the capture until some writer turns up; it changes nothing
 * for regular files.
 */
function openRegularFileSync(file: string): number {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: "ENOTFILE" });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

function headerEnd(buf: Buffer, from: number): number {
  const lf = buf.indexOf("\n\n", from);
  const crlf = buf.indexOf("\r\n\r\n", from);
  if (lf === -1) return crlf === -1 ? -1 : crlf + 4;
  if (crlf === -1) return lf + 2;
  return Math.min(lf + 2, crlf + 4);
}
