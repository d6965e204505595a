import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RestoreReport } from "../../agent/restore/restore-snapshot.js";
import { renderRestore } from "../../cli/render/render-restore.js";

const comparison = (matches: boolean): Extract<RestoreReport["environment"], { mode: "verify" }>["comparison"] => ({
  matches,
  recordedDigest: "sha256:" + "1".repeat(64),
  actualDigest: "sha256:" + (matches ? "1" : "2").repeat(64),
  packages: matches
    ? { added: [], removed: [], changed: [] }
    : { added: [{ name: "pydantic-core", version: "2.18.2" }], removed: [], changed: [{ name: "pydantic", from: "1.10.13", to: "2.7.1", direction: "upgrade", major: true }] },
  interpreter: matches ? [] : [{ field: "version", from: "3.11.7", to: "3.11.2" }],
});

function report(over: Partial<RestoreReport>): RestoreReport {
  return { runId: "airflow:nightly/r41/train/1", rollbackOf: "airflow:nightly/r41/train/1", codeDigest: null, environmentDigest: null, code: null, environment: null, matches: true, ...over };
}

void describe("restore report", () => {
  void it("says what was restored, where, and how to use the venv", () => {
    const text = renderRestore(
      report({
        code: { method: "archive", files: 12, bytes: 4096, verified: 12, into: "/work/restored", notRestored: [] },
        environment: { mode: "rebuild", venvDir: "/cache/venvs/abc", python: "/cache/venvs/abc/bin/python", cached: false, installer: "pip", comparison: comparison(true) },
      }),
      { color: false },
    );
    assert.match(text, /^Restored run airflow:nightly\/r41\/train\/1\n/);
    assert.match(text, /code\s+12 files into \/work\/restored \(archive\), 12 verified by sha256/);
    assert.match(text, /venv built with pip \/cache\/venvs\/abc: matches the snapshot/);
    assert.match(text, /source \/cache\/venvs\/abc\/bin\/activate/);
    assert.doesNotMatch(text, /Packages/);
  });

  void it("lists every difference of a failed verify", () => {
    const text = renderRestore(report({ environment: { mode: "verify", comparison: comparison(false) }, matches: false }), { color: false });
    assert.match(text, /^Differs from run /);
    assert.match(text, /version\s+3\.11\.7 → 3\.11\.2/);
    assert.match(text, /pydantic\s+1\.10\.13 → 2\.7\.1\s+upgrade\s+MAJOR/);
    assert.match(text, /\+ pydantic-core\s+2\.18\.2\s+added/);
  });

  void it("names an image mismatch and its reason", () => {
    const text = renderRestore(
      report({ environment: { mode: "image", matches: false, recorded: "sha256:aaa", actual: "", reason: "image digest unknown: not in a container" }, matches: false }),
      { color: false },
    );
    assert.match(text, /image\s+\(unknown\) differs: image digest unknown: not in a container \(recorded sha256:aaa\)/);
  });
});
