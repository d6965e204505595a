import assert from "node:assert/strict";
import { describe, it } from "node:test";
import tar from "tar-stream";
import { buildCodeArchive } from "../../agent/code/build-code-archive.js";
import type { WorkTreeFile } from "../../agent/code/read-work-tree-files.js";
import { writeTar, type TarEntry } from "../../agent/code/write-tar.js";

const ENTRIES: TarEntry[] = [
  { name: "README.md", mode: 0o644, type: "file", data: Buffer.from("# hi\n") },
  { name: "bin/run.sh", mode: 0o755, type: "file", data: Buffer.from("#!/bin/sh\necho run\n") },
  { name: "empty", mode: 0o600, type: "file", data: Buffer.alloc(0) },
  { name: "block", mode: 0o644, type: "file", data: Buffer.alloc(512, 1) },
  { name: "big", mode: 0o644, type: "file", data: Buffer.alloc(70_000, 7) },
  { name: `deep/${"d".repeat(90)}/${"e".repeat(60)}/file.txt`, mode: 0o644, type: "file", data: Buffer.from("prefix field") },
  { name: "n".repeat(150), mode: 0o644, type: "file", data: Buffer.from("pax: no slash to split at") },
  { name: "ünïcode/名前.txt", mode: 0o644, type: "file", data: Buffer.from("pax: not ascii") },
  { name: "link", mode: 0o777, type: "symlink", linkname: "README.md" },
  { name: "link-unicode", mode: 0o777, type: "symlink", linkname: "ünïcode/名前.txt" },
  { name: "link-long", mode: 0o777, type: "symlink", linkname: "x/".repeat(70) },
  { name: "zero-mode", mode: 0, type: "file", data: Buffer.from("0644 as in tar-stream") },
];

async function viaTarStream(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on("data", (c: unknown) => {
      chunks.push(c as Buffer);
    });
    pack.on("end", () => resolve());
    pack.on("error", (e: Error) => reject(e));
  });
  for (const e of entries) {
    const header = { name: e.name, mode: e.mode, mtime: new Date(0), uid: 0, gid: 0, uname: "", gname: "" };
    if (e.type === "symlink") pack.entry({ ...header, type: "symlink", linkname: e.linkname });
    else pack.entry({ ...header, type: "file" }, e.data ?? Buffer.alloc(0));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function extract(archive: Buffer): Promise<{ name: string; type: string; mode: number; mtime: number; uid: number; linkname: string; data: string }[]> {
  const ex = tar.extract();
  const out: { name: string; type: string; mode: number; mtime: number; uid: number; linkname: string; data: string }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    ex.on("entry", (header, stream, next) => {
      const parts: Buffer[] = [];
      stream.on("data", (c: unknown) => {
        parts.push(c as Buffer);
      });
      stream.on("end", () => {
        out.push({
          name: header.name,
          type: header.type ?? "",
          mode: header.mode ?? 0,
          mtime: header.mtime?.getTime() ?? -1,
          uid: header.uid ?? -1,
          linkname: header.linkname ?? "",
          data: Buffer.concat(parts).toString("utf8"),
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

void describe("writeTar", () => {
  void it("gives the same bytes as tar-stream's pack()", async () => {
    const ours = writeTar(ENTRIES);
    const theirs = await viaTarStream(ENTRIES);
    assert.equal(ours.length, theirs.length);
    assert.ok(ours.equals(theirs), "archives differ");
  });

  void it("reads back with tar-stream's extract()", async () => {
    const entries = await extract(writeTar(ENTRIES));
    assert.deepEqual(
      entries.map((e) => e.name),
      ENTRIES.map((e) => e.name),
    );
    for (const [i, e] of entries.entries()) {
      const want = ENTRIES[i];
      assert.ok(want);
      assert.equal(e.type, want.type);
      assert.equal(e.mtime, 0);
      assert.equal(e.uid, 0);
      assert.equal(e.mode, want.mode || 0o644);
      if (want.type === "symlink") assert.equal(e.linkname, want.linkname);
      else assert.equal(e.data, (want.data ?? Buffer.alloc(0)).toString("utf8"));
    }
  });

  void it("is an empty archive for no entries", () => {
    assert.deepEqual(writeTar([]), Buffer.alloc(1024));
  });
});

void describe("buildCodeArchive", () => {
  const file = (p: string, content: string, mode = 0o644): WorkTreeFile => ({
    entry: { path: p, sha256: "", size: content.length, mode },
    type: "file",
    content: Buffer.from(content),
    linkTarget: "",
  });

  void it("sorts entries by path bytes, so input order does not matter", async () => {
    const files = [file("b.py", "b"), file("a/z.py", "z"), file("A.txt", "A"), file("a.py", "a"), file("é.py", "e")];
    const one = buildCodeArchive(files);
    const two = buildCodeArchive([...files].reverse());
    assert.ok(one.equals(two));
    assert.deepEqual(
      (await extract(one)).map((e) => e.name),
      ["A.txt", "a.py", "a/z.py", "b.py", "é.py"],
    );
  });
});
