import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { captureCode } from "../../agent/code/capture-code.js";
import { snapshotDigest, sha256Digest } from "../../core/digest.js";
import { runOrFail } from "../helpers/python-env.js";
import { readTar, type TarEntry } from "../helpers/read-tar.js";

const GIT_ID = ["-c", "user.name=snaptrail-test", "-c", "user.email=test@snaptrail.invalid", "-c", "commit.gpgsign=false"];
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const LIMIT = 100 * 1024 * 1024;

async function git(repo: string, ...args: string[]): Promise<string> {
  return runOrFail("git", ["-C", repo, ...GIT_ID, ...args]);
}

async function extract(archive: Buffer): Promise<Map<string, TarEntry>> {
  return new Map((await readTar(archive)).map((e) => [e.name, e]));
}

void describe("code capture of a git work tree", () => {
  let root: string;
  let repo: string;
  let commit: string;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-code-"));
    repo = path.join(root, "repo");
    mkdirSync(path.join(repo, "src"), { recursive: true });
    await runOrFail("git", ["init", "-q", "-b", "main", repo]);
    writeFileSync(path.join(repo, "README.md"), "# demo\n");
    writeFileSync(path.join(repo, "src", "train.py"), "print('v1')\n");
    writeFileSync(path.join(repo, "src", "gone.py"), "x = 1\n");
    writeFileSync(path.join(repo, "run.sh"), "#!/bin/sh\necho run\n");
    chmodSync(path.join(repo, "run.sh"), 0o755);
    writeFileSync(path.join(repo, ".gitignore"), "*.log\nignored_dir/\n");
    symlinkSync("README.md", path.join(repo, "readme-link"));
    await git(repo, "add", ".");
    await git(repo, "commit", "-q", "-m", "first");
    commit = (await git(repo, "rev-parse", "HEAD")).trim();
    await git(repo, "remote", "add", "origin", "https://alice:ghp_secrettoken@github.com/acme/demo.git");
    await git(repo, "remote", "add", "backup", "git@backup.example:acme/demo.git");
    // Work in progress: a modified tracked file, a deleted one, an untracked one, ignored ones.
    writeFileSync(path.join(repo, "src", "train.py"), "print('v2')\n");
    unlinkSync(path.join(repo, "src", "gone.py"));
    writeFileSync(path.join(repo, "src", "new.py"), "NEW = True\n");
    writeFileSync(path.join(repo, "debug.log"), "ignored\n");
    mkdirSync(path.join(repo, "ignored_dir"));
    writeFileSync(path.join(repo, "ignored_dir", "big.bin"), "ignored\n");
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  void it("records commit, branch, remote without credentials, dirty flag and patch", async () => {
    const cap = await captureCode(repo, { env: process.env, maxArchiveBytes: LIMIT });
    assert.deepEqual(cap.warnings, []);
    const code = cap.code;
    assert.ok(code);
    assert.equal(code.root, repo);
    assert.equal(code.git?.commit, commit);
    assert.equal(code.git?.branch, "main");
    assert.equal(code.git?.remoteUrl, "https://github.com/acme/demo.git");
    assert.equal(code.git?.dirty, true);
    assert.match(code.git?.patch ?? "", /^diff --git a\/src\/gone.py b\/src\/gone.py/m);
    assert.match(code.git?.patch ?? "", /^-print\('v1'\)\n\+print\('v2'\)$/m);
    assert.ok(!(code.git?.patch ?? "").includes("new.py"), "untracked files are not in the patch");
  });

  void it("hashes what git would track: untracked included, ignored and deleted left out", async () => {
    const { code } = await captureCode(repo, { env: process.env, maxArchiveBytes: LIMIT });
    assert.ok(code);
    assert.deepEqual(
      code.files.map((f) => f.path),
      [".gitignore", "README.md", "readme-link", "run.sh", "src/new.py", "src/train.py"],
    );
    const byPath = new Map(code.files.map((f) => [f.path, f]));
    assert.deepEqual(byPath.get("src/train.py"), { path: "src/train.py", sha256: sha256("print('v2')\n"), size: 12, mode: 0o644 });
    assert.equal(byPath.get("run.sh")?.mode, 0o755);
    assert.equal(byPath.get("readme-link")?.sha256, sha256("README.md"));
  });

  void it("builds a deterministic tar archive of those files", async () => {
    const one = await captureCode(repo, { env: process.env, maxArchiveBytes: LIMIT });
    const two = await captureCode(repo, { env: process.env, maxArchiveBytes: LIMIT });
    assert.ok(one.archive && one.code && two.code);
    assert.equal(one.code.archiveDigest, sha256Digest(one.archive));
    assert.equal(one.code.archiveBytes, one.archive.length);
    assert.equal(two.code.archiveDigest, one.code.archiveDigest);
    assert.equal(snapshotDigest("code", two.code), snapshotDigest("code", one.code));

    const entries = await extract(one.archive);
    assert.deepEqual([...entries.keys()], [".gitignore", "README.md", "readme-link", "run.sh", "src/new.py", "src/train.py"]);
    for (const e of entries.values()) {
      assert.equal(e.mtime, 0);
      assert.equal(e.uid, 0);
      assert.equal(e.gid, 0);
      assert.equal(e.uname, "");
    }
    assert.equal(entries.get("src/train.py")?.data.toString(), "print('v2')\n");
    assert.equal(entries.get("run.sh")?.mode, 0o755);
    assert.equal(entries.get("readme-link")?.type, "symlink");
    assert.equal(entries.get("readme-link")?.linkname, "README.md");
  });

  void it("gives the same archive digest for the same files in another clone location", async () => {
    const copy = path.join(root, "copy");
    await runOrFail("git", ["clone", "-q", repo, copy]);
    writeFileSync(path.join(copy, "src", "train.py"), "print('v2')\n");
    rmSync(path.join(copy, "src", "gone.py"));
    writeFileSync(path.join(copy, "src", "new.py"), "NEW = True\n");
    // Touching files changes mtimes, which the archive must not record.
    const a = await captureCode(repo, { env: process.env, maxArchiveBytes: LIMIT });
    const b = await captureCode(copy, { env: process.env, maxArchiveBytes: LIMIT });
    assert.equal(b.code?.archiveDigest, a.code?.archiveDigest);
    // The root differs but is volatile: the code digests differ only by the remote of the clone.
    assert.notEqual(b.code?.root, a.code?.root);
    rmSync(copy, { recursive: true, force: true });
  });

  void it("captures the whole work tree from a subdirectory", async () => {
    const { code } = await captureCode(path.join(repo, "src"), { env: process.env, maxArchiveBytes: LIMIT });
    assert.equal(code?.root, repo);
    assert.equal(code?.files.length, 6);
  });

  void it("warns about a file name that is not UTF-8 and captures the rest", async () => {
    const odd = Buffer.concat([Buffer.from(path.join(repo, "odd-")), Buffer.from([0xff, 0xfe]), Buffer.from(".txt")]);
    writeFileSync(odd, "latin-1 name\n");
    try {
      const cap = await captureCode(repo, { env: process.env, maxArchiveBytes: LIMIT });
      assert.ok(cap.code);
      assert.equal(cap.code.files.length, 6);
      assert.equal(cap.warnings.length, 1);
      assert.match(cap.warnings[0]?.message ?? "", /not UTF-8/);
      assert.equal(cap.warnings[0]?.source, "code");
    } finally {
      rmSync(odd);
    }
  });

  void it("leaves the archive out above maxArchiveBytes but still hashes every file", async () => {
    const cap = await captureCode(repo, { env: process.env, maxArchiveBytes: 10 });
    assert.equal(cap.archive, null);
    assert.equal(cap.code?.archiveDigest, "");
    assert.equal(cap.code?.archiveBytes, 0);
    assert.equal(cap.code?.files.length, 6);
    assert.equal(cap.code?.files.find((f) => f.path === "src/train.py")?.sha256, sha256("print('v2')\n"));
    assert.equal(cap.warnings.length, 1);
    assert.match(
      cap.warnings[0]?.message ?? "",
      /^code archive skipped: \d+ B of files exceeds the limit of 10 B \(set SNAPTRAIL_MAX_ARCHIVE_BYTES or --max-archive-bytes\)$/,
    );
  });

  void it("captures a repository with no commits", async () => {
    const empty = path.join(root, "empty-repo");
    await runOrFail("git", ["init", "-q", empty]);
    writeFileSync(path.join(empty, "a.py"), "a = 1\n");
    const cap = await captureCode(empty, { env: process.env, maxArchiveBytes: LIMIT });
    assert.ok(cap.code);
    assert.equal(cap.code.git?.commit, "");
    assert.equal(cap.code.git?.patch, "");
    assert.equal(cap.code.git?.dirty, true);
    assert.deepEqual(
      cap.code.files.map((f) => f.path),
      ["a.py"],
    );
    assert.ok(cap.archive);
    assert.match(cap.warnings.map((w) => w.message).join("\n"), /no commits/);
  });

  void it("records a clean checkout as not dirty, with the first remote when there is no origin", async () => {
    const clean = path.join(root, "clean");
    await runOrFail("git", ["clone", "-q", repo, clean]);
    await git(clean, "remote", "rename", "origin", "upstream");
    await git(clean, "checkout", "-q", "--detach");
    const { code, warnings } = await captureCode(clean, { env: process.env, maxArchiveBytes: LIMIT });
    assert.deepEqual(warnings, []);
    assert.equal(code?.git?.dirty, false);
    assert.equal(code?.git?.patch, "");
    assert.equal(code?.git?.branch, "");
    assert.equal(code?.git?.commit, commit);
    assert.equal(code?.git?.remoteUrl, repo);
  });

  void it("gives null code and a warning outside a git work tree", async () => {
    const plain = path.join(root, "not-git");
    mkdirSync(plain);
    const cap = await captureCode(plain, { env: process.env, maxArchiveBytes: LIMIT });
    assert.equal(cap.code, null);
    assert.equal(cap.archive, null);
    assert.deepEqual(cap.warnings, [{ source: "code", message: `code not captured: ${plain} is not in a git work tree` }]);
  });

  void it("starts no git outside a repository, and git decides wherever a .git is above", async () => {
    // git on PATH behind a wrapper that leaves a mark for each run, then runs the real one.
    const bin = path.join(root, "counting-bin");
    const marks = path.join(root, "git-runs");
    mkdirSync(bin);
    mkdirSync(marks);
    const realGit = (await runOrFail("sh", ["-c", "command -v git"])).trim();
    writeFileSync(path.join(bin, "git"), `#!/bin/sh\nmktemp -p '${marks}' >/dev/null\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` };
    const runs = () => readdirSync(marks).length;

    const plain = path.join(root, "plain", "deep");
    mkdirSync(plain, { recursive: true });
    const outside = await captureCode(plain, { env, maxArchiveBytes: LIMIT });
    assert.deepEqual(outside.warnings, [{ source: "code", message: `code not captured: ${plain} is not in a git work tree` }]);
    assert.equal(runs(), 0, "no git process outside a repository");

    // A `.git` above that is no repository: git is asked, and says the same.
    const fake = path.join(root, "fake-parent");
    mkdirSync(path.join(fake, ".git"), { recursive: true });
    mkdirSync(path.join(fake, "sub"));
    const underFake = await captureCode(path.join(fake, "sub"), { env, maxArchiveBytes: LIMIT });
    assert.equal(underFake.code, null);
    assert.match(underFake.warnings[0]?.message ?? "", /is not in a git work tree|git failed/);
    assert.ok(runs() > 0, "git was asked under a .git");

    const before = runs();
    const inRepo = await captureCode(repo, { env, maxArchiveBytes: LIMIT });
    assert.notEqual(inRepo.code, null);
    assert.ok(runs() > before);
  });

  void it("warns when git is not installed or the directory does not exist", async () => {
    const noGit = await captureCode(repo, { env: { ...process.env, PATH: path.join(root, "no-bin") }, maxArchiveBytes: LIMIT });
    assert.equal(noGit.code, null);
    assert.match(noGit.warnings[0]?.message ?? "", /git is not installed/);
    const missing = await captureCode(path.join(root, "missing"), { env: process.env, maxArchiveBytes: LIMIT });
    assert.match(missing.warnings[0]?.message ?? "", /does not exist/);
  });
});
