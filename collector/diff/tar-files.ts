import { gunzipSync } from "node:zlib";
import * as tar from "tar-stream";

export type TarFile = { kind: "file"; data: Buffer } | { kind: "tooLarge"; bytes: number };

/** Paths inside archives are compared without a leading "./" or "/". */
export function archivePath(name: string): string {
  return name.replace(/^(\.\/)+/, "").replace(/^\/+/, "");
}

/**
 * Reads the regular files and symlinks (as their target path) named in `wanted` out of a tar archive (gzip-compressed or not),
 * keeping only those and at most `maxFileBytes` of each: a larger file comes back as tooLarge.
 * An archive whose files all sit under one top-level folder ("repo/src/x.py") is matched
 * without that folder when the plain paths match nothing.
 */
export async function readTarFiles(
  archive: Buffer,
  wanted: ReadonlySet<string>,
  opts: { maxFileBytes: number; maxArchiveBytes: number },
): Promise<Map<string, TarFile>> {
  const bytes = isGzip(archive) ? gunzipSync(archive, { maxOutputLength: opts.maxArchiveBytes }) : archive;
  const exact = new Map<string, TarFile>();
  const stripped = new Map<string, TarFile>();
  const extract = tar.extract();
  const reading = (async () => {
    for await (const entry of extract) {
      const type = entry.header.type ?? "file";
      const name = archivePath(entry.header.name);
      const slash = name.indexOf("/");
      const without = slash >= 0 ? name.slice(slash + 1) : "";
      const readable = type === "file" || type === "contiguous-file" || type === "symlink";
      const target = readable ? (wanted.has(name) ? exact : wanted.has(without) ? stripped : undefined) : undefined;
      if (!target) {
        entry.resume();
        continue;
      }
      const key = target === exact ? name : without;
      if (type === "symlink") {
        // As git shows a symlink: its content is the target path.
        entry.resume();
        target.set(key, { kind: "file", data: Buffer.from(entry.header.linkname ?? "") });
        continue;
      }
      const size = entry.header.size ?? 0;
      if (size > opts.maxFileBytes) {
        entry.resume();
        target.set(key, { kind: "tooLarge", bytes: size });
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      target.set(key, { kind: "file", data: Buffer.concat(chunks) });
    }
  })();
  extract.end(bytes);
  await reading;
  return exact.size > 0 || stripped.size === 0 ? exact : stripped;
}

function isGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}
