import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { captureCode } from "../../agent/code/capture-code.js";
import { restoreCode } from "../../agent/restore/code/restore-code.js";
import type { CodeSnapshot, FileEntry } from "../../core/model.js";
import { runOrFail } from "../helpers/python-env.js";
import { snaptrailError } from "../helpers/snaptrail-error.js";

const GIT_ID = ["-c", "user.name=snaptrail-test", "-c", "user.email=test@snaptrail.invalid", "-c", "commit.gpgsign=false"];
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

async function git(repo: string, ...args: string[]): Promise<string> {
  return (await runOrFail("git", ["-C", repo, ...GIT_ID, ...args])).trim();
}

/** What a user would compare: every file under `dir` (.git aside) with its hash, size and mode. */
function listTree(dir: string, rel = ""): FileEntry[] {
  const out: FileEntry[] = [];
  for (const d of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel === "" ? d.name : `${rel}/${d.name}`;
    if (p === ".git") continue;
    const abs = path.join(dir, p);
    const st = lstatSync(abs);
    if (d.isDirectory()) out.push(...listTree(dir, p));
    else if (d.isSymbolicLink()) {
      const target = Buffer.from(readlinkSync(abs, "utf8"));
      out.push({ path: p, sha256: sha256(target), size: target.length, mode: st.mode & 0o7777 });
    } else {
      const data = readFileSync(abs);
      out.push({ path: p, sha256: sha256(data), size: data.length, mode: st.mode & 0o7777 });
    }
  }
  return out.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

void describe("restoreCode with real git and real captures", () => {
  let root: string;
  let repo: string;
  let first: string;
  let code: CodeSnapshot;
  let archive: Buffer;
  let fetches = 0;
  const fetchArchive = () => {
    fetches++;
    return Promise.resolve(archive);
  };

  /** A clone of the repository, one commit ahead of the captured one, clean. */
  async function cloneAhead(name: string): Promise<string> {
    const clone = path.join(root, name);
    await runOrFail("git", ["clone", "-q", repo, clone]);
    writeFileSync(path.join(clone, "README.md"), "# demo, later\n");
    await git(clone, "commit", "-q", "-am", "later");
    return clone;
  }

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-restore-code-"));
    repo = path.join(root, "repo");
    mkdirSync(path.join(repo, "src", "deep", "er"), { recursive: true });
    await runOrFail("git", ["init", "-q", "-b", "main", repo]);
    writeFileSync(path.join(repo, "README.md"), "# demo\n");
    writeFileSync(path.join(repo, "src", "train.py"), "print('v1')\n");
    writeFileSync(path.join(repo, "src", "gone.py"), "x = 1\n");
    writeFileSync(path.join(repo, "src", "deep", "er", "model.py"), "W = [1, 2, 3]\n");
    writeFileSync(path.join(repo, "run.sh"), "#!/bin/sh\necho run\n");
    chmodSync(path.join(repo, "run.sh"), 0o755);
    writeFileSync(path.join(repo, "settings.yaml"), "token: none\n");
    writeFileSync(path.join(repo, "weights.bin"), Buffer.from([0, 1, 2, 255, 254, 0, 10, 13]));
    writeFileSync(path.join(repo, ".gitignore"), "*.log\n");
    symlinkSync("README.md", path.join(repo, "readme-link"));
    await git(repo, "add", ".");
    await git(repo, "commit", "-q", "-m", "first");
    first = await git(repo, "rev-parse", "HEAD");
    // Work in progress, as a job would run it: a modified, a deleted, a staged new and an
    // untracked file, an untracked symlink, a private mode git does not track, a binary change.
    writeFileSync(path.join(repo, "src", "train.py"), "print('v2')\n");
    unlinkSync(path.join(repo, "src", "gone.py"));
    writeFileSync(path.join(repo, "src", "staged.py"), "STAGED = 1\n");
    await git(repo, "add", "src/staged.py");
    writeFileSync(path.join(repo, "src", "deep", "new.py"), "NEW = True\n");
    symlinkSync("src/deep/new.py", path.join(repo, "latest"));
    chmodSync(path.join(repo, "settings.yaml"), 0o600);
    writeFileSync(path.join(repo, "weights.bin"), Buffer.from([9, 0, 255, 13, 10]));
    writeFileSync(path.join(repo, "debug.log"), "ignored\n");
    const cap = await captureCode(repo, { env: process.env, maxArchiveBytes: 100 * 1024 * 1024 });
    assert.deepEqual(cap.warnings, []);
    assert.ok(cap.code && cap.archive);
    code = cap.code;
    archive = cap.archive;
    assert.ok(code.git?.patch.includes("GIT binary patch"), "the capture records a binary patch");
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  void it("restores a capture from its archive: same hashes and modes, symlinks kept, ignored files left out", async () => {
    const into = path.join(root, "restored", "here");
    const result = await restoreCode({ code, into, archive: fetchArchive });
    assert.equal(result.method, "archive");
    assert.equal(result.files, code.files.length);
    assert.equal(result.verified, code.files.length);
    assert.equal(result.bytes, code.files.reduce((n, f) => n + f.size, 0));
    assert.deepEqual(listTree(into), code.files);
    assert.equal(readlinkSync(path.join(into, "latest")), "src/deep/new.py");
    assert.equal(readFileSync(path.join(into, "readme-link"), "utf8"), "# demo\n");
    assert.equal(lstatSync(path.join(into, "settings.yaml")).mode & 0o777, 0o600);
    assert.equal(lstatSync(path.join(into, "run.sh")).mode & 0o777, 0o755);
    assert.deepEqual(readdirSync(path.join(root, "restored")), ["here"], "no temporary folder left beside it");
  });

  void it("restores into an existing empty folder and keeps that folder's mode", async () => {
    const into = path.join(root, "empty");
    mkdirSync(into, { mode: 0o750 });
    chmodSync(into, 0o750);
    const result = await restoreCode({ code, into, archive: fetchArchive, method: "auto" });
    assert.equal(result.method, "archive");
    assert.deepEqual(listTree(into), code.files);
    assert.equal(lstatSync(into).mode & 0o777, 0o750);
  });

  void it("restores a clone with git: recorded commit detached, patch applied, untracked files from the archive", async () => {
    const clone = await cloneAhead("clone");
    const before = fetches;
    const result = await restoreCode({ code, into: clone, archive: fetchArchive });
    assert.equal(result.method, "git");
    assert.equal(result.verified, code.files.length);
    assert.equal(fetches - before, 1, "the archive is fetched once, for the untracked files");
    assert.equal(await git(clone, "rev-parse", "HEAD"), first);
    await assert.rejects(git(clone, "symbolic-ref", "-q", "HEAD"), "HEAD is detached");
    assert.deepEqual(listTree(clone), code.files);
    assert.equal(lstatSync(path.join(clone, "settings.yaml")).mode & 0o777, 0o600, "the mode git does not track is set as recorded");
    const status = await runOrFail("git", ["-C", clone, "status", "--porcelain", "--untracked-files=all"]);
    assert.match(status, /^ M src\/train\.py$/m);
    assert.match(status, /^ D src\/gone\.py$/m);
    assert.match(status, /^\?\? src\/deep\/new\.py$/m);
  });

  void it("does not fetch the archive when git alone gives the tree back", async () => {
    const clone = await cloneAhead("clone-tracked-only");
    const tracked = new Set((await git(repo, "ls-files")).split("\n"));
    const trackedOnly = { ...code, files: code.files.filter((f) => tracked.has(f.path)) };
    const result = await restoreCode({ code: trackedOnly, into: clone, method: "git", archive: () => Promise.reject(new Error("the archive must not be fetched")) });
    assert.equal(result.method, "git");
    assert.equal(result.verified, trackedOnly.files.length);
  });

  void it("refuses a dirty clone and names the files, changing nothing", async () => {
    const clone = await cloneAhead("clone-dirty");
    const head = await git(clone, "rev-parse", "HEAD");
    writeFileSync(path.join(clone, "src", "train.py"), "print('my work')\n");
    writeFileSync(path.join(clone, "notes.txt"), "mine\n");
    await assert.rejects(restoreCode({ code, into: clone, archive: fetchArchive }), snaptrailError("CONFLICT", "src/train.py", "notes.txt", "commit or stash"));
    assert.equal(await git(clone, "rev-parse", "HEAD"), head);
    assert.equal(readFileSync(path.join(clone, "src", "train.py"), "utf8"), "print('my work')\n");
    assert.equal(readFileSync(path.join(clone, "notes.txt"), "utf8"), "mine\n");
  });

  void it("refuses to overwrite a file the clone ignores, changing nothing", async () => {
    const clone = await cloneAhead("clone-ignored");
    const head = await git(clone, "rev-parse", "HEAD");
    writeFileSync(path.join(clone, ".git", "info", "exclude"), "src/deep/new.py\n");
    writeFileSync(path.join(clone, "src", "deep", "new.py"), "my local experiment\n");
    await assert.rejects(restoreCode({ code, into: clone, archive: fetchArchive }), snaptrailError("CONFLICT", "src/deep/new.py", "ignores"));
    assert.equal(await git(clone, "rev-parse", "HEAD"), head);
    assert.equal(readFileSync(path.join(clone, "src", "deep", "new.py"), "utf8"), "my local experiment\n");
  });

  void it("refuses a patch that does not apply before touching the clone", async () => {
    const clone = await cloneAhead("clone-bad-patch");
    const head = await git(clone, "rev-parse", "HEAD");
    const patch = (code.git?.patch ?? "").replace("-print('v1')", "-print('v0')");
    const bad = { ...code, git: { ...code.git!, patch } };
    await assert.rejects(restoreCode({ code: bad, into: clone, archive: fetchArchive }), snaptrailError("MISMATCH", "does not apply", "nothing was changed"));
    assert.equal(await git(clone, "rev-parse", "HEAD"), head);
    assert.equal(await git(clone, "status", "--porcelain", "--untracked-files=all"), "");
  });

  void it("needs the commit in the clone: NOT_FOUND with git, a clear refusal with auto", async () => {
    const other = path.join(root, "other");
    await runOrFail("git", ["init", "-q", "-b", "main", other]);
    writeFileSync(path.join(other, "x.txt"), "x\n");
    await git(other, "add", ".");
    await git(other, "commit", "-q", "-m", "unrelated");
    await assert.rejects(restoreCode({ code, into: other, method: "git", archive: fetchArchive }), snaptrailError("NOT_FOUND", first, "git fetch"));
    await assert.rejects(restoreCode({ code, into: other, archive: fetchArchive }), snaptrailError("CONFLICT", "not empty", "git fetch"));
    await assert.rejects(restoreCode({ code, into: path.join(root, "nowhere"), method: "git", archive: fetchArchive }), snaptrailError("NOT_FOUND", "not the top of a git clone"));
  });

  void it("with method archive, never uses git: a clone is a non-empty folder", async () => {
    const clone = await cloneAhead("clone-archive");
    const head = await git(clone, "rev-parse", "HEAD");
    await assert.rejects(restoreCode({ code, into: clone, method: "archive", archive: fetchArchive }), snaptrailError("CONFLICT", "not empty"));
    assert.equal(await git(clone, "rev-parse", "HEAD"), head);
  });
});
