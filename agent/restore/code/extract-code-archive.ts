import { closeSync, constants, fchmodSync, mkdirSync, openSync, symlinkSync, writeSync } from "node:fs";
import path from "node:path";
import tar from "tar-stream";
import type { FileEntry } from "../../../core/model.js";
import { errorMessage, InternalError, SnaptrailError, TooLargeError, UnsafeArchiveError } from "../../../core/errors.js";
import { formatBytes } from "../../../core/format-bytes.js";
import { linkEscapes } from "./link-escape.js";
import { parentPaths, unsafePathReason } from "./unsafe-path-reason.js";

export interface ExtractCodeArchiveOptions {
  /** The snapshot's files by path: the only entries the archive may hold. */
  files: ReadonlyMap<string, FileEntry>;
  /** Bound on the bytes written; more is TOO_LARGE. */
  maxBytes: number;
  /** Write only these paths; the other entries are checked all the same, then skipped. */
  only?: ReadonlySet<string>;
}

export interface ExtractedFiles {
  /** Paths written (files and symlinks), in archive order. */
  paths: string[];
  bytes: number;
}

// O_EXCL: an entry never replaces anything, not even a symlink planted by an earlier entry
// (O_EXCL does not follow it); O_NOFOLLOW for good measure.
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function unsafe(name: string, why: string): SnaptrailError {
  return new UnsafeArchiveError(`unsafe code archive: entry ${JSON.stringify(name)}: ${why}; nothing was restored`);
}

/**
 * Extracts a code archive into `dir`, a fresh empty folder the caller owns (and removes on
 * failure). Every entry is checked before anything is written for it: a safe relative path, not
 * through a symlink of the archive, a regular file, symlink or hard link to an earlier file,
 * listed in the snapshot, no bigger than recorded, once only; symlinks must resolve inside `dir`.
 * Permission bits are kept, setuid, setgid and sticky dropped.
 *
 * The file system calls are synchronous: the archive is already in memory and is mostly small
 * files, for which a thread-pool round trip per call costs more than the write.
 */
export async function extractCodeArchive(archive: Buffer, dir: string, opts: ExtractCodeArchiveOptions): Promise<ExtractedFiles> {
  const seen = new Set<string>();
  const links = new Map<string, string>();
  const contents = new Map<string, Buffer[]>();
  const madeDirs = new Set<string>();
  const written: string[] = [];
  let bytes = 0;

  const ensureParents = (name: string): void => {
    for (const parent of parentPaths(name)) {
      if (madeDirs.has(parent)) continue;
      try {
        mkdirSync(path.join(dir, parent));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Only our own entries are in `dir`: anything in the way is an earlier entry.
        if (code === "EEXIST" || code === "ENOTDIR") throw unsafe(name, `its folder ${parent} is also a file or link in the archive`);
        throw err;
      }
      madeDirs.add(parent);
    }
  };
  const collides = (name: string, err: unknown): never => {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR" || code === "ELOOP") throw unsafe(name, "collides with an earlier entry");
    throw new InternalError(`cannot write ${name} while restoring: ${errorMessage(err)}`, { cause: err });
  };
  const writeFile = (name: string, chunks: readonly Buffer[], mode: number): void => {
    ensureParents(name);
    let fd = -1;
    try {
      fd = openSync(path.join(dir, name), CREATE, 0o600);
    } catch (err) {
      collides(name, err);
    }
    try {
      for (const c of chunks) {
        let off = 0;
        while (off < c.length) off += writeSync(fd, c, off, c.length - off);
      }
      fchmodSync(fd, mode & 0o777);
    } finally {
      closeSync(fd);
    }
    written.push(name);
  };
  const account = (name: string, size: number): void => {
    if (bytes + size > opts.maxBytes) {
      throw new TooLargeError(`the code archive holds more than the restore limit of ${formatBytes(opts.maxBytes)} (at ${name}); raise maxBytes to restore it`);
    }
    bytes += size;
  };

  const extract = tar.extract();
  extract.end(archive);
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const name = h.name;
      const pathReason = unsafePathReason(name);
      if (pathReason !== null) throw unsafe(name, pathReason);
      if (h.type !== "file" && h.type !== "symlink" && h.type !== "link") {
        throw unsafe(name, `a ${h.type ?? "unknown"} entry (a code archive holds only files and symlinks)`);
      }
      if (seen.has(name)) throw unsafe(name, "appears twice");
      seen.add(name);
      const recorded = opts.files.get(name);
      if (recorded === undefined) throw unsafe(name, "is not in the snapshot's file list");
      const through = parentPaths(name).find((p) => links.has(p));
      if (through !== undefined) throw unsafe(name, `its path goes through the symlink ${through}`);
      if (h.size > recorded.size) {
        throw unsafe(name, `declares ${h.size} bytes but the snapshot records ${recorded.size}`);
      }
      const write = opts.only === undefined || opts.only.has(name);

      if (h.type === "file") {
        if (write) account(name, h.size);
        // Bounded by the size check above: tar-stream gives exactly h.size bytes, as views of
        // the archive buffer, so keeping them for a later hard link costs nothing.
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        contents.set(name, chunks);
        if (write) writeFile(name, chunks, h.mode);
      } else if (h.type === "symlink") {
        entry.resume();
        const target = h.linkname ?? "";
        if (target === "") throw unsafe(name, "a symlink with no target");
        if (target.startsWith("/")) throw unsafe(name, `a symlink to the absolute path ${target}`);
        if (target.includes("\0")) throw unsafe(name, "a NUL byte in its symlink target");
        links.set(name, target);
        // Escapes through links that come later in the archive are caught after the last entry.
        if (linkEscapes(name, links)) throw unsafe(name, `a symlink to ${target}, outside the folder`);
        if (!write) continue;
        ensureParents(name);
        try {
          symlinkSync(target, path.join(dir, name));
        } catch (err) {
          collides(name, err);
        }
        written.push(name);
      } else {
        entry.resume();
        // A hard link is written as a copy of an earlier file of the archive: never a link to
        // something outside, and the two never change together by surprise.
        const target = h.linkname ?? "";
        const targetReason = unsafePathReason(target);
        if (targetReason !== null) throw unsafe(name, `a hard link to ${JSON.stringify(target)}, ${targetReason}`);
        const chunks = contents.get(target);
        if (chunks === undefined) throw unsafe(name, `a hard link to ${target}, which is not a file earlier in the archive`);
        const size = chunks.reduce((n, c) => n + c.length, 0);
        if (size > recorded.size) throw unsafe(name, `links to ${size} bytes but the snapshot records ${recorded.size}`);
        contents.set(name, chunks);
        if (!write) continue;
        account(name, size);
        writeFile(name, chunks, h.mode);
      }
    }
  } catch (err) {
    if (err instanceof SnaptrailError) throw err;
    throw new UnsafeArchiveError(`the code archive is not a readable tar archive: ${errorMessage(err)}; nothing was restored`, { cause: err });
  }
  for (const name of links.keys()) {
    if (linkEscapes(name, links)) throw unsafe(name, `a symlink to ${links.get(name) ?? ""}, which leads outside the folder`);
  }
  return { paths: written, bytes };
}
