import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalSnapshotJson, snapshotDigest, DIGEST_PATTERN } from "../../core/digest.js";
import type { CodeSnapshot, EnvironmentSnapshot } from "../../core/model.js";
import { decodeMessage, encodeMessage } from "../../proto/event-codec.js";

function environment(overrides: Partial<EnvironmentSnapshot> = {}): EnvironmentSnapshot {
  return {
    interpreter: { implementation: "cpython", version: "3.11.7", executable: "/opt/venv/bin/python", prefix: "/opt/venv", basePrefix: "/usr", platform: "linux-x86_64", kind: "venv" },
    packages: [
      { name: "pydantic", version: "1.10.13", installer: "pip", source: { kind: "index", url: "", vcs: "", commit: "", archiveHash: "", channel: "", build: "", recordDigest: "" }, shadowed: false },
      { name: "typing-extensions", version: "4.12.2", installer: "pip", source: null, shadowed: false },
    ],
    image: null,
    os: { id: "debian", versionId: "12", prettyName: "Debian GNU/Linux 12 (bookworm)", libc: "glibc 2.36" },
    env: [{ name: "OMP_NUM_THREADS", value: "4", redacted: false }],
    modules: [],
    indexes: null,
    ...overrides,
  };
}

describe("snapshot digests", () => {
  it("is sha256 over RFC 8785 JSON, independent of key order", () => {
    const a = environment();
    const reordered = JSON.parse(JSON.stringify({ modules: a.modules, env: a.env, os: a.os, image: a.image, packages: a.packages, interpreter: a.interpreter })) as EnvironmentSnapshot;
    assert.match(snapshotDigest("environment", a), DIGEST_PATTERN);
    assert.equal(snapshotDigest("environment", a), snapshotDigest("environment", reordered));
    assert.ok(canonicalSnapshotJson("environment", a).startsWith('{"body":{"env":'));
  });

  it("changes when a package version changes", () => {
    const bumped = environment();
    bumped.packages[0] = { ...bumped.packages[0]!, version: "2.7.1" };
    assert.notEqual(snapshotDigest("environment", environment()), snapshotDigest("environment", bumped));
  });

  it("treats proto3 defaults and absent fields alike", () => {
    // The agent may leave a message null where the collector decodes it with defaults filled.
    const withEmptySource = environment();
    withEmptySource.packages[1] = { ...withEmptySource.packages[1]!, source: { kind: "", url: "", vcs: "", commit: "", archiveHash: "", channel: "", build: "", recordDigest: "" } };
    assert.equal(snapshotDigest("environment", environment()), snapshotDigest("environment", withEmptySource));
  });

  it("survives a protobuf round trip unchanged", () => {
    const env = environment();
    const decoded = decodeMessage<EnvironmentSnapshot>("EnvironmentSnapshot", encodeMessage("EnvironmentSnapshot", env));
    assert.equal(snapshotDigest("environment", decoded), snapshotDigest("environment", env));
  });

  it("leaves volatile fields out: the work tree's location does not change a code digest", () => {
    const code = (root: string): CodeSnapshot => ({
      root,
      git: { commit: "a".repeat(40), branch: "main", remoteUrl: "", dirty: false, patch: "" },
      files: [{ path: "train.py", sha256: "b".repeat(64), size: 10, mode: 0o644 }],
      archiveDigest: `sha256:${"c".repeat(64)}`,
      archiveBytes: 2048,
      leftOut: [],
    });
    assert.equal(snapshotDigest("code", code("/home/a/repo")), snapshotDigest("code", code("/scratch/job-17/repo")));
  });

  it("keeps kinds apart: the same body under two kinds has two digests", () => {
    assert.notEqual(snapshotDigest("host", { hostname: "x" }), snapshotDigest("code", { hostname: "x" }));
  });
});
