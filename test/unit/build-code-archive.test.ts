import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCodeArchive } from "../../agent/code/build-code-archive.js";
import type { WorkTreeFile } from "../../agent/code/read-work-tree-files.js";
import { readTar } from "../helpers/read-tar.js";

async function extract(archive: Buffer) {
  return (await readTar(archive)).map((e) => ({ ...e, data: e.data.toString("utf8") }));
}

void describe("buildCodeArchive", () => {
  const file = (p: string, content: string, mode = 0o644): WorkTreeFile => ({
    entry: { path: p, sha256: "", size: content.length, mode },
    type: "file",
    content: Buffer.from(content),
    linkTarget: "",
  });

  void it("sorts entries by path bytes, so input order does not matter", async () => {
    const files = [file("b.py", "b"), file("a/z.py", "z"), file("A.txt", "A"), file("a.py", "a"), file("é.py", "e")];
    const one = await buildCodeArchive(files);
    const two = await buildCodeArchive([...files].reverse());
    assert.ok(one.equals(two));
    assert.deepEqual(
      (await extract(one)).map((e) => e.name),
      ["A.txt", "a.py", "a/z.py", "b.py", "é.py"],
    );
  });

  void it("keeps modes, symlinks and long or non-ASCII names, with no timestamps or owners", async () => {
    const link: WorkTreeFile = { entry: { path: "link", sha256: "", size: 0, mode: 0o777 }, type: "symlink", content: null, linkTarget: "bin/run.sh" };
    const long = `deep/${"d".repeat(90)}/${"e".repeat(60)}/file.txt`;
    const entries = await extract(await buildCodeArchive([file("bin/run.sh", "#!/bin/sh\n", 0o755), link, file(long, "x"), file("ünïcode/名前.txt", "u"), file("empty", "")]));
    assert.deepEqual(
      entries.map((e) => [e.name, e.type, e.mode.toString(8), e.mtime, e.uid, e.linkname, e.data]),
      [
        ["bin/run.sh", "file", "755", 0, 0, "", "#!/bin/sh\n"],
        [long, "file", "644", 0, 0, "", "x"],
        ["empty", "file", "644", 0, 0, "", ""],
        ["link", "symlink", "777", 0, 0, "bin/run.sh", ""],
        ["ünïcode/名前.txt", "file", "644", 0, 0, "", "u"],
      ],
    );
  });
});
