import tar from "tar-stream";

export interface TarEntry {
  name: string;
  type: string;
  mode: number;
  mtime: number;
  uid: number;
  gid: number;
  uname: string;
  linkname: string;
  data: Buffer;
}

/** Every entry of a tar archive, in archive order, read back with tar-stream. */
export async function readTar(archive: Buffer): Promise<TarEntry[]> {
  const ex = tar.extract();
  const out: TarEntry[] = [];
  const done = new Promise<void>((resolve, reject) => {
    ex.on("entry", (h, stream, next) => {
      const parts: Buffer[] = [];
      stream.on("data", (c: unknown) => {
        parts.push(c as Buffer);
      });
      stream.on("end", () => {
        out.push({
          name: h.name,
          type: h.type ?? "",
          mode: h.mode ?? 0,
          mtime: h.mtime?.getTime() ?? -1,
          uid: h.uid ?? -1,
          gid: h.gid ?? -1,
          uname: h.uname ?? "",
          linkname: h.linkname ?? "",
          data: Buffer.concat(parts),
        });
        next();
      });
      stream.resume();
    });
    ex.on("finish", () => resolve());
    ex.on("error", (e: Error) => reject(e));
  });
  ex.end(archive);
  await done;
  return out;
}
