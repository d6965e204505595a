import { closeSync, openSync, readSync } from "node:fs";

/** The glibc banner's version, e.g. "GNU C Library (Debian GLIBC 2.36-9) stable release version 2.36." */
const GLIBC_BANNER = /GNU C Library[^\n]{0,200}? release version (\d+\.\d+(?:\.\d+)?)/;
const NEEDLE = Buffer.from("GNU C Library", "latin1");
/** How much of the banner the pattern reads from where it starts. */
const BANNER_BYTES = 300;
/**
 * Read in pieces of this size. Why: libc.so.6 is about 2 MB with its banner near the end, and a
 * Buffer of the whole file outlived the capture in the agent's heap (freed only by a full
 * collection, which a short run never has): 2 MB of `wrap`'s peak memory for 60 bytes.
 */
export const BANNER_CHUNK_BYTES = 64 * 1024;

/**
 * The version in the first "GNU C Library ... release version X.Y" of `file` (a glibc shared
 * library), or undefined when there is none. Throws when the file cannot be read. Synchronous: the
 * banner is near the end, some 30 pieces in, and through the thread pool each piece was a round
 * trip waiting for the capture's main thread (readOsInfo).
 */
export function glibcBannerVersionSync(file: string): string | undefined {
  const fd = openSync(file, "r");
  try {
    const chunk = Buffer.allocUnsafe(BANNER_CHUNK_BYTES);
    // Each read starts where the needle may have begun in the one before: a banner across a
    // boundary is still found, at its first occurrence.
    for (let pos = 0; ; ) {
      const n = readFully(fd, chunk, pos);
      const at = chunk.subarray(0, n).indexOf(NEEDLE);
      if (at >= 0) {
        const banner = Buffer.alloc(BANNER_BYTES);
        const len = readFully(fd, banner, pos + at);
        return GLIBC_BANNER.exec(banner.toString("latin1", 0, len))?.[1];
      }
      if (n < chunk.length) return undefined;
      pos += n - (NEEDLE.length - 1);
    }
  } finally {
    closeSync(fd);
  }
}

/** Fills `into` from `position` as far as the file goes; the number of bytes read. */
function readFully(fd: number, into: Buffer, position: number): number {
  let got = 0;
  while (got < into.length) {
    const bytesRead = readSync(fd, into, got, into.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}
