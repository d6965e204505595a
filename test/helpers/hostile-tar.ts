import { createHash } from "node:crypto";
import tar, { type Header } from "tar-stream";
import type { CodeSnapshot, FileEntry } from "../../core/model.js";
import { sha256Digest } from "../../core/digest.js";

export interface TarSpec {
  name: string;
  type?: Header["type"];
  data?: string;
  linkname?: string;
  mode?: number;
}

/** A tar archive made with tar-stream's pack(), entries in the order given, however hostile. */
export async function packTar(entries: readonly TarSpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on("data", (c: unknown) => chunks.push(c as Buffer));
    pack.on("end", resolve);
    pack.on("error", reject);
  });
  for (const e of entries) {
    const type = e.type ?? "file";
    const header = { name: e.name, type, mode: e.mode ?? 0o644, mtime: new Date(0), linkname: e.linkname };
    if (type === "file") pack.entry(header, Buffer.from(e.data ?? ""));
    else pack.entry(header);
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

/** The snapshot record of a file or symlink as the capture writes it (a symlink: its target's hash). */
export function fileEntry(spec: TarSpec): FileEntry {
  const content = Buffer.from(spec.type === "symlink" ? (spec.linkname ?? "") : (spec.data ?? ""));
  return { path: spec.name, sha256: sha256(content), size: content.length, mode: spec.type === "symlink" ? 0o777 : (spec.mode ?? 0o644) };
}

/** A code snapshot that lists `files` and points at `archive`. */
export function snapshotOf(files: readonly FileEntry[], archive: Buffer): CodeSnapshot {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  return {
    root: "/nowhere",
    git: { commit: "", branch: "", remoteUrl: "", dirty: false, patch: "" },
    files: sorted,
    archiveDigest: sha256Digest(archive),
    archiveBytes: archive.length,
    leftOut: [],
  };
}

/**
 * Rewrites the size field of the tar header at `offset` and its checksum, so the header declares
 * `size` bytes whatever follows: the way a hostile archive claims a huge file it does not hold.
 */
export function declareSize(archive: Buffer, size: number, offset = 0): Buffer {
  const out = Buffer.from(archive);
  out.write(size.toString(8).padStart(11, "0") + "\0", offset + 124, 12, "latin1");
  out.fill(0x20, offset + 148, offset + 156);
  let sum = 0;
  for (let i = offset; i < offset + 512; i++) sum += out[i] ?? 0;
  out.write(sum.toString(8).padStart(6, "0") + "\0 ", offset + 148, 8, "latin1");
  return out;
}
