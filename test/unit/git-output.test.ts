import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pickRemoteUrl } from "../../agent/code/capture-code.js";
import { formatBytes } from "../../core/format-bytes.js";
import { parseGitStatus } from "../../agent/code/parse-git-status.js";
import { splitGitPaths } from "../../agent/code/split-git-paths.js";

const nul = (...records: (string | Buffer)[]) => Buffer.concat(records.flatMap((r) => [Buffer.isBuffer(r) ? r : Buffer.from(r), Buffer.alloc(1)]));

void describe("splitGitPaths", () => {
  void it("splits -z output and sets aside names that are not UTF-8", () => {
    const bad = Buffer.from([0x62, 0x61, 0x64, 0xff, 0x2e, 0x74, 0x78, 0x74]);
    const out = splitGitPaths(nul("a.py", "dir/ünï.py", bad, "with space.txt"));
    assert.deepEqual(out.paths, ["a.py", "dir/ünï.py", "with space.txt"]);
    assert.deepEqual(out.undecodable, [bad]);
    assert.deepEqual(splitGitPaths(Buffer.alloc(0)), { paths: [], undecodable: [] });
  });
});

void describe("parseGitStatus", () => {
  void it("reads commit, branch, tracked changes and untracked files", () => {
    const sha = "a".repeat(40);
    const out = nul(
      `# branch.oid ${sha}`,
      "# branch.head main",
      "# branch.upstream origin/main",
      `1 .M N... 100644 100644 100644 ${sha} ${sha} src/x.py`,
      "? new file.txt",
      Buffer.concat([Buffer.from("? bad"), Buffer.from([0xfe])]),
    );
    const s = parseGitStatus(out);
    assert.equal(s.commit, sha);
    assert.equal(s.branch, "main");
    assert.equal(s.trackedChanges, true);
    assert.deepEqual(s.untracked, ["new file.txt"]);
    assert.equal(s.undecodable.length, 1);
  });

  void it("reads a repository with no commits and a detached HEAD", () => {
    assert.deepEqual(parseGitStatus(nul("# branch.oid (initial)", "# branch.head master")), {
      commit: "",
      branch: "master",
      trackedChanges: false,
      untracked: [],
      undecodable: [],
    });
    assert.equal(parseGitStatus(nul(`# branch.oid ${"b".repeat(40)}`, "# branch.head (detached)")).branch, "");
  });

  void it("skips the original path of a rename", () => {
    const sha = "c".repeat(40);
    const s = parseGitStatus(nul(`2 R. N... 100644 100644 100644 ${sha} ${sha} R100 new.py`, "? looks-untracked.py", "? real.py"));
    assert.equal(s.trackedChanges, true);
    assert.deepEqual(s.untracked, ["real.py"]);
  });
});

void describe("pickRemoteUrl", () => {
  void it("prefers origin, else the first remote", () => {
    assert.equal(pickRemoteUrl("remote.upstream.url https://u/x\nremote.origin.url https://o/x\n"), "https://o/x");
    assert.equal(pickRemoteUrl("remote.upstream.url https://u/x\nremote.fork.url https://f/x\n"), "https://u/x");
    assert.equal(pickRemoteUrl("remote.my.dotted.url git@h:x.git\n"), "git@h:x.git");
    assert.equal(pickRemoteUrl(""), "");
  });
});

void describe("formatBytes", () => {
  void it("uses binary units with one decimal", () => {
    assert.equal(formatBytes(412.3 * 1024 * 1024), "412.3 MiB");
    assert.equal(formatBytes(100 * 1024 * 1024), "100 MiB");
    assert.equal(formatBytes(512), "512 B");
    assert.equal(formatBytes(1536), "1.5 KiB");
    assert.equal(formatBytes(3 * 1024 ** 3), "3 GiB");
  });
});
