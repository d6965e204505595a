import assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { extractCodeArchive } from "../../agent/restore/code/extract-code-archive.js";
import { linkEscapes } from "../../agent/restore/code/link-escape.js";
import { restoreCode } from "../../agent/restore/code/restore-code.js";
import { unsafePathReason } from "../../agent/restore/code/unsafe-path-reason.js";
import type { FileEntry } from "../../core/model.js";
import { declareSize, fileEntry, packTar, snapshotOf, type TarSpec } from "../helpers/hostile-tar.js";
import { snaptrailError } from "../helpers/snaptrail-error.js";

const GOOD: TarSpec = { name: "src/ok.py", data: "print('ok')\n" };

void describe("restoreCode from hostile archives", () => {
  let root: string;
  let n = 0;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-restore-hostile-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** A case folder holding nothing. */
  const caseDir = () => {
    const dir = path.join(root, `case-${++n}`);
    mkdirSync(dir);
    return dir;
  };

  async function refused(entries: TarSpec[], listed: FileEntry[], code: string, ...inMessage: string[]): Promise<void> {
    const archive = await packTar(entries);
    const parent = caseDir();
    const into = path.join(parent, "new", "dir");
    await assert.rejects(restoreCode({ code: snapshotOf(listed, archive), into, archive: () => Promise.resolve(archive) }), snaptrailError(code, ...inMessage));
    // Nothing left behind: no target, no temporary sibling, no folder made on the way to it.
    assert.deepEqual(readdirSync(parent), []);
  }

  const hostile: [string, TarSpec[], TarSpec[], ...string[]][] = [
    ["an absolute path", [GOOD, { name: "/tmp/snaptrail-pwned", data: "x" }], [GOOD], "/tmp/snaptrail-pwned", "absolute path"],
    ["a `..` component", [GOOD, { name: "../escape.txt", data: "x" }], [GOOD], "../escape.txt", "`..`"],
    ["a `..` in the middle", [GOOD, { name: "src/../../escape.txt", data: "x" }], [GOOD], "src/../../escape.txt", "`..`"],
    ["a `..` in a long name (ustar prefix)", [GOOD, { name: `${"d".repeat(150)}/../../escape.txt`, data: "x" }], [GOOD], "escape.txt", "`..`"],
    ["a `..` in a long name (pax header)", [GOOD, { name: `../${"e".repeat(120)}.txt`, data: "x" }], [GOOD], "eeee.txt", "`..`"],
    ["a .git folder", [GOOD, { name: ".git/config", data: "[core]\n\tfsmonitor = touch /tmp/pwned\n" }], [GOOD], ".git/config", ".git"],
    ["an absolute symlink", [GOOD, { name: "etc", type: "symlink", linkname: "/etc" }], [GOOD, { name: "etc", type: "symlink", linkname: "/etc" }], "etc", "absolute path"],
    ["a symlink out", [GOOD, { name: "src/up", type: "symlink", linkname: "../../outside" }], [GOOD, { name: "src/up", type: "symlink", linkname: "../../outside" }], "src/up", "outside"],
    [
      "a symlink out through a later symlink",
      [{ name: "t", type: "symlink", linkname: "s/.." }, { name: "s", type: "symlink", linkname: "." }],
      [{ name: "t", type: "symlink", linkname: "s/.." }, { name: "s", type: "symlink", linkname: "." }],
      '"t"',
      "leads outside",
    ],
    ["a hard link out", [GOOD, { name: "hl", type: "link", linkname: "../../etc/passwd" }], [GOOD, { name: "hl", data: "" }], "hl", "hard link"],
    ["an absolute hard link", [GOOD, { name: "hl", type: "link", linkname: "/etc/passwd" }], [GOOD, { name: "hl", data: "" }], "hl", "hard link"],
    ["a character device", [GOOD, { name: "tty", type: "character-device" }], [GOOD, { name: "tty", data: "" }], "tty", "character-device"],
    ["a block device", [GOOD, { name: "sda", type: "block-device" }], [GOOD, { name: "sda", data: "" }], "sda", "block-device"],
    ["a FIFO", [GOOD, { name: "pipe", type: "fifo" }], [GOOD, { name: "pipe", data: "" }], "pipe", "fifo"],
    ["a directory entry", [{ name: "src", type: "directory" }, GOOD], [GOOD], '"src"', "directory"],
    ["a duplicate entry", [GOOD, { ...GOOD, data: "print('evil')" }], [GOOD], "src/ok.py", "twice"],
    ["an entry not in the snapshot", [GOOD, { name: "extra.sh", data: "rm -rf ~" }], [GOOD], "extra.sh", "not in the snapshot"],
    ["a file bigger than recorded", [{ name: "src/ok.py", data: "x".repeat(100) }], [{ name: "src/ok.py", data: "x" }], "src/ok.py", "declares 100 bytes", "records 1"],
  ];
  for (const [what, entries, listed, ...inMessage] of hostile) {
    void it(`refuses ${what} (UNSAFE_ARCHIVE) and leaves nothing behind`, async () => {
      await refused(entries, listed.map(fileEntry), "UNSAFE_ARCHIVE", ...inMessage);
    });
  }

  void it("refuses an entry whose path goes through a symlink extracted before it", async () => {
    // The snapshot check refuses such a list first; the extractor refuses it on its own too.
    const dir = caseDir();
    const entries: TarSpec[] = [{ name: "lnk", type: "symlink", linkname: "src" }, { name: "lnk/x.py", data: "x" }];
    const files = new Map(entries.map((e) => [e.name, fileEntry(e)]));
    await assert.rejects(extractCodeArchive(await packTar(entries), dir, { files, maxBytes: 1 << 20 }), snaptrailError("UNSAFE_ARCHIVE", "lnk/x.py", "through the symlink lnk"));
    await refused(entries, [...files.values()], "UNSAFE_ARCHIVE", "lnk");
  });

  void it("refuses more bytes than maxBytes (TOO_LARGE)", async () => {
    const big: TarSpec[] = [{ name: "a.bin", data: "a".repeat(600) }, { name: "b.bin", data: "b".repeat(600) }];
    const archive = await packTar(big);
    const parent = caseDir();
    const req = { code: snapshotOf(big.map(fileEntry), archive), into: path.join(parent, "dir"), archive: () => Promise.resolve(archive), maxBytes: 1000 };
    await assert.rejects(restoreCode(req), snaptrailError("TOO_LARGE", "over the restore limit"));
    // A snapshot that under-reports its sizes is stopped while extracting.
    const lying = snapshotOf(big.map((e) => ({ ...fileEntry(e), size: 600 })), archive);
    lying.files = lying.files.map((f) => ({ ...f, size: 10 }));
    await assert.rejects(restoreCode({ ...req, code: lying, maxBytes: 1000 }), snaptrailError("UNSAFE_ARCHIVE", "declares 600 bytes"));
    const files = new Map(big.map((e) => [e.name, fileEntry(e)]));
    await assert.rejects(extractCodeArchive(archive, mkdtempSync(path.join(parent, "x")), { files, maxBytes: 1000 }), snaptrailError("TOO_LARGE", "b.bin"));
  });

  void it("refuses a huge declared file without writing it or even fetching the archive", async () => {
    const EIGHT_GIB = 8 * 1024 ** 3 - 1; // the most an octal size field holds
    const archive = declareSize(await packTar([{ name: "huge.bin", data: "x" }]), EIGHT_GIB);
    // The snapshot says 1 byte: refused at the header.
    const parent = caseDir();
    const into = path.join(parent, "dir");
    const small = { ...snapshotOf([{ path: "huge.bin", sha256: "0".repeat(64), size: 1, mode: 0o644 }], archive) };
    await assert.rejects(restoreCode({ code: small, into, archive: () => Promise.resolve(archive) }), snaptrailError("UNSAFE_ARCHIVE", "huge.bin", `declares ${EIGHT_GIB} bytes`));
    // The snapshot says 8 GiB too: over the default limit before the archive is fetched.
    const huge = { ...small, files: [{ ...small.files[0]!, size: EIGHT_GIB }] };
    let fetched = 0;
    const fetch = () => {
      fetched++;
      return Promise.resolve(archive);
    };
    await assert.rejects(restoreCode({ code: huge, into, archive: fetch }), snaptrailError("TOO_LARGE", "holds 8 GiB"));
    assert.equal(fetched, 0);
    // With the limit raised, the bytes are not there to write: a truncated archive, not GBs on disk.
    await assert.rejects(restoreCode({ code: huge, into, archive: fetch, maxBytes: 16 * 1024 ** 3 }), snaptrailError("UNSAFE_ARCHIVE", "not a readable tar"));
    assert.deepEqual(readdirSync(parent), []);
  });

  void it("refuses an archive that does not match its digest (DIGEST_MISMATCH) before reading it", async () => {
    const archive = await packTar([GOOD]);
    const tampered = await packTar([{ ...GOOD, data: "print('evil')\n" }]);
    const parent = caseDir();
    await assert.rejects(
      restoreCode({ code: snapshotOf([fileEntry(GOOD)], archive), into: path.join(parent, "dir"), archive: () => Promise.resolve(tampered) }),
      snaptrailError("DIGEST_MISMATCH", "sha256:"),
    );
    assert.deepEqual(readdirSync(parent), []);
  });

  void it("refuses a snapshot that lists unsafe paths, before fetching anything", async () => {
    const archive = await packTar([GOOD]);
    for (const bad of ["../x", "/etc/passwd", "a//b", ".GIT/hooks/pre-commit"]) {
      const code = snapshotOf([fileEntry(GOOD), { path: bad, sha256: "0".repeat(64), size: 0, mode: 0o644 }], archive);
      await assert.rejects(restoreCode({ code, into: path.join(root, "never"), archive: () => Promise.reject(new Error("must not fetch")) }), snaptrailError("UNSAFE_ARCHIVE", JSON.stringify(bad)));
    }
    assert.equal(existsSync(path.join(root, "never")), false);
  });

  void it("reports files that do not match the snapshot (MISMATCH) and leaves nothing behind", async () => {
    const archive = await packTar([GOOD, { name: "run.sh", data: "#!/bin/sh\n", mode: 0o644 }]);
    const parent = caseDir();
    const listed = [
      { ...fileEntry(GOOD), sha256: "0".repeat(64) },
      fileEntry({ name: "run.sh", data: "#!/bin/sh\n", mode: 0o755 }),
      fileEntry({ name: "missing.txt", data: "" }),
    ];
    await assert.rejects(
      restoreCode({ code: snapshotOf(listed, archive), into: path.join(parent, "dir"), archive: () => Promise.resolve(archive) }),
      snaptrailError("MISMATCH", "3 of 3 files", "missing.txt (missing)", "run.sh (mode 0644, recorded 0755)", "src/ok.py (content differs)"),
    );
    assert.deepEqual(readdirSync(parent), []);
  });

  void it("refuses a folder that is not empty (CONFLICT) and leaves its files alone", async () => {
    const archive = await packTar([GOOD]);
    const into = caseDir();
    writeFileSync(path.join(into, "notes.txt"), "mine");
    await assert.rejects(restoreCode({ code: snapshotOf([fileEntry(GOOD)], archive), into, archive: () => Promise.resolve(archive) }), snaptrailError("CONFLICT", "not empty", "notes.txt"));
    assert.deepEqual(readdirSync(into), ["notes.txt"]);
    assert.equal(readFileSync(path.join(into, "notes.txt"), "utf8"), "mine");
    const file = path.join(into, "notes.txt");
    await assert.rejects(restoreCode({ code: snapshotOf([fileEntry(GOOD)], archive), into: file, archive: () => Promise.resolve(archive) }), snaptrailError("CONFLICT", "not a folder"));
  });

  void it("restores hard links as copies, modes without setuid, into an empty folder that keeps its mode", async () => {
    const entries: TarSpec[] = [
      { name: "bin/tool", data: "#!/bin/sh\n", mode: 0o4755 },
      { name: "bin/tool-copy", type: "link", linkname: "bin/tool", mode: 0o700 },
      { name: "secret.txt", data: "s", mode: 0o600 },
      { name: "link", type: "symlink", linkname: "bin/tool" },
    ];
    const archive = await packTar(entries);
    const listed = [fileEntry(entries[0]!), { ...fileEntry(entries[0]!), path: "bin/tool-copy", mode: 0o700 }, fileEntry(entries[2]!), fileEntry(entries[3]!)];
    const into = caseDir();
    const result = await restoreCode({ code: snapshotOf(listed, archive), into, archive: () => Promise.resolve(archive) });
    assert.deepEqual(result, { method: "archive", files: 4, bytes: 10 + 10 + 1 + "bin/tool".length, verified: 4, notRestored: [] });
    assert.equal(statSync(path.join(into, "bin/tool")).mode & 0o7777, 0o755);
    assert.equal(statSync(path.join(into, "bin/tool-copy")).mode & 0o7777, 0o700);
    assert.equal(statSync(path.join(into, "bin/tool")).ino === statSync(path.join(into, "bin/tool-copy")).ino, false);
    assert.equal(statSync(path.join(into, "secret.txt")).mode & 0o777, 0o600);
    assert.equal(readlinkSync(path.join(into, "link")), "bin/tool");
    assert.ok(lstatSync(path.join(into, "link")).isSymbolicLink());
  });
});

void describe("unsafePathReason and linkEscapes", () => {
  void it("accepts plain relative paths and names what is wrong with the others", () => {
    for (const ok of ["a", "a/b.py", "..a", "a..", ".github/x", "a/.gitignore", "dir with space/é"]) assert.equal(unsafePathReason(ok), null, ok);
    for (const bad of ["", "/a", "a/../b", "..", "./a", "a/./b", "a//b", "a/", ".git", "sub/.Git/config", "a\0b"]) assert.notEqual(unsafePathReason(bad), null, bad);
  });

  void it("follows the folder's own symlinks as the kernel would", () => {
    const links = new Map([
      ["s", "."],
      ["t", "s/.."],
      ["d/in", "../x"],
      ["d/out", "../../x"],
      ["deep/a/b", "../../s"],
      ["loop1", "loop2"],
      ["loop2", "loop1"],
      ["viaDeep", "deep/a/b/.."],
    ]);
    assert.equal(linkEscapes("s", links), false);
    assert.equal(linkEscapes("t", links), true, "s/.. is the folder's parent, since s is the folder itself");
    assert.equal(linkEscapes("d/in", links), false);
    assert.equal(linkEscapes("d/out", links), true);
    assert.equal(linkEscapes("deep/a/b", links), false);
    assert.equal(linkEscapes("viaDeep", links), true, "deep/a/b is the folder, so its .. is outside");
    assert.equal(linkEscapes("loop1", links), false);
  });
});
