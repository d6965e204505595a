import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { codeChanged, diffCode } from "../../collector/diff/code-diff.js";
import { checkEvent } from "../../collector/ingest/validate-event.js";
import { snapshotDigest } from "../../core/digest.js";
import type { CodeSnapshot } from "../../core/model.js";
import { renderDiff } from "../../cli/render/render-diff.js";
import { capturedEvent, codeSnapshot as storedCode } from "../helpers/collector-fixtures.js";
import { codeSnapshot, run } from "../helpers/diff-fixtures.js";
import { MemoryBlobStore } from "../helpers/memory-blob-store.js";
import { diffRuns } from "../../collector/diff/diff-runs.js";

const secret = (path: string) => ({ path, reason: "secret pattern" });

void describe("files left out as secrets, in the diff", () => {
  void it("says 'left out' instead of added or removed, and never compares their content", async () => {
    const blobs = new MemoryBlobStore();
    // A: .env recorded (an older agent) and no id_rsa; B: both left out, job.py changed.
    const a = await codeSnapshot({ "job.py": "print(1)\n", ".env": "DB_PASSWORD=old\n" }, blobs);
    const b: CodeSnapshot = { ...(await codeSnapshot({ "job.py": "print(2)\n" }, blobs)), leftOut: [secret(".env"), secret("id_rsa")] };
    const d = await diffCode(a, b, blobs);
    assert.ok(d);
    assert.deepEqual(d.added, []);
    assert.deepEqual(d.removed, [], "a left-out file is not 'removed'");
    assert.deepEqual(d.modified, ["job.py"]);
    assert.deepEqual(d.leftOut, [
      { path: ".env", from: "recorded", to: "left out", reason: "secret pattern" },
      { path: "id_rsa", from: "absent", to: "left out", reason: "secret pattern" },
    ]);
    assert.deepEqual(d.patches.map((p) => p.path), ["job.py"], "no patch of a left-out file");
  });

  void it("is no change when both sides left the same file out", async () => {
    const blobs = new MemoryBlobStore();
    const a: CodeSnapshot = { ...(await codeSnapshot({ "job.py": "x\n" }, blobs)), leftOut: [secret(".env")] };
    const b: CodeSnapshot = { ...(await codeSnapshot({ "job.py": "x\n" }, blobs)), leftOut: [secret(".env")] };
    const d = await diffCode(a, b, blobs);
    assert.equal(codeChanged(d), false);
    assert.deepEqual(d?.leftOut, [{ path: ".env", from: "left out", to: "left out", reason: "secret pattern" }]);
  });

  void it("renders the left-out files with what each side holds", async () => {
    const blobs = new MemoryBlobStore();
    const a = await codeSnapshot({ "job.py": "x\n" }, blobs);
    const b: CodeSnapshot = { ...(await codeSnapshot({ "job.py": "x\n" }, blobs)), leftOut: [secret(".env")] };
    const text = renderDiff(await diffRuns(run("a", { code: a }), run("b", { code: b }), blobs), { color: false });
    assert.match(text, /S \.env\s+absent → left out \(secret pattern\)/);
    assert.match(text, /1 file changed/);
  });
});

void describe("files left out as secrets, at ingest", () => {
  const event = (code: CodeSnapshot) => capturedEvent("r", { code: { body: code } });

  void it("accepts a code snapshot that names left-out files", () => {
    assert.equal(checkEvent(event({ ...storedCode("c1"), leftOut: [secret(".env"), secret("id_rsa")] })), undefined);
  });

  void it("refuses a left-out file that also has a hash, one listed twice, or one without a reason", () => {
    const base = storedCode("c1");
    const withHash = { ...base, leftOut: [secret(base.files[0]!.path)] };
    assert.match(checkEvent(event(withHash)) ?? "", /is in the file list too/);
    assert.match(checkEvent(event({ ...base, leftOut: [secret(".env"), secret(".env")] })) ?? "", /twice/);
    assert.match(checkEvent(event({ ...base, leftOut: [{ path: ".env", reason: "" }] })) ?? "", /gives no reason/);
  });

  void it("digests a snapshot without left-out files as before", () => {
    const base = storedCode("c1");
    const { leftOut: _unused, ...withoutField } = base;
    assert.equal(snapshotDigest("code", base), snapshotDigest("code", withoutField));
  });
});
