import { open } from "node:fs/promises";

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
 * library), or undefined when there is none. Throws when the file cannot be read.
 */
export async function glibcBannerVersion(file: string): Promise<string | undefined> {
  const fh = await open(file, "r");
  try {
    const chunk = Buffer.allocUnsafe(BANNER_CHUNK_BYTES);
    // Each read starts where the needle may have begun in the one before: a banner across a
    // boundary is still found, at its first occurrence.
    for (let pos = 0; ; ) {
      const n = await readFully(fh, chunk, pos);
      const at = chunk.subarray(0, n).indexOf(NEEDLE);
      if (at >= 0) {
        const banner = Buffer.alloc(BANNER_BYTES);
        const len = await readFully(fh, banner, pos + at);
        return GLIBC_BANNER.exec(banner.toString("latin1", 0, len))?.[1];
      }
      if (n < chunk.length) return undefined;
      pos += n - (NEEDLE.length - 1);
    }
  } finally {
    await fh.close();
  }
}

/** Fills `into` from `position` as far as the file goes; the number of bytes read. */
async function readFully(fh: Awaited<ReturnType<typeof open>>, into: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < into.length) {
    const { bytesRead } = await fh.read(into, got, into.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}
