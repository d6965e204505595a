import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { restoreOutputs } from "../../agent/cache/restore-outputs.js";
import type { CacheHit } from "../../core/api-types.js";
import { sha256Digest } from "../../core/digest.js";
import { NotFoundError } from "../../core/errors.js";
import type { OutputFile } from "../../core/model.js";
import { run } from "../helpers/diff-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-restore-outputs-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A blob source holding these contents by digest (what the collector's blob store would serve). */
function blobs(contents: Buffer[]): { getBlob(digest: string): Promise<Buffer> } {
  const byDigest = new Map(contents.map((c) => [sha256Digest(c), c]));
  return { getBlob: (d) => (byDigest.has(d) ? Promise.resolve(byDigest.get(d)!) : Promise.reject(new NotFoundError(`blob ${d} is not stored`))) };
}

const out = (path: string, content: Buffer, mode = 0o644): OutputFile => ({ path, digest: sha256Digest(content), size: content.length, mode, stored: true });
const hit = (outputs: OutputFile[]): CacheHit => ({ run: run("local:h/source"), outputs });

function workDir(): string {
  const cwd = join(dir, `w${++n}`);
  mkdirSync(join(cwd, "out"), { recursive: true });
  writeFileSync(join(cwd, "out", "model.bin"), "the file before the restore");
  return cwd;
}

describe("restoreOutputs", () => {
  const model = Buffer.from("weights");
  const script = Buffer.from("#!/bin/sh\necho hi\n");

  it("writes every output in place with its mode, leaving no temporary files", async () => {
    const cwd = workDir();
    await restoreOutputs(hit([out("out/model.bin", model), out("out/bin/run.sh", script, 0o755)]), cwd, ["out"], blobs([model, script]));
    assert.deepEqual(readFileSync(join(cwd, "out/model.bin")), model);
    assert.deepEqual(readFileSync(join(cwd, "out/bin/run.sh")), script);
    assert.equal(statSync(join(cwd, "out/bin/run.sh")).mode & 0o7777, 0o755);
    assert.deepEqual(readdirSync(join(cwd, "out")).sort(), ["bin", "model.bin"]);
  });

  it("drops setuid, setgid and sticky bits a hostile record asks for", async () => {
    const cwd = workDir();
    await restoreOutputs(hit([out("out/suid.sh", script, 0o6755)]), cwd, ["out"], blobs([script]));
    assert.equal(statSync(join(cwd, "out/suid.sh")).mode & 0o7777, 0o755);
  });

  it("changes nothing when any blob is missing or not what its digest says", async () => {
    const cwd = workDir();
    const before = readFileSync(join(cwd, "out/model.bin"), "utf8");
    await assert.rejects(restoreOutputs(hit([out("out/model.bin", model), out("out/b.bin", script)]), cwd, ["out"], blobs([model])), { code: "NOT_FOUND" });
    const liar = { getBlob: () => Promise.resolve(Buffer.from("something else")) };
    await assert.rejects(restoreOutputs(hit([out("out/model.bin", model)]), cwd, ["out"], liar), { code: "DIGEST_MISMATCH", message: /the blob is sha256:/ });
    assert.equal(readFileSync(join(cwd, "out/model.bin"), "utf8"), before, "the first output was not put in place either");
    assert.deepEqual(readdirSync(join(cwd, "out")), ["model.bin"], "no temporary files left");
  });

  it("refuses paths outside the declared outputs, whatever the collector says", async () => {
    const cwd = workDir();
    for (const path of ["../escape.bin", "/etc/snaptrail-owned", "out/../other.bin", "outside.bin"]) {
      await assert.rejects(restoreOutputs(hit([out(path, model)]), cwd, ["out"], blobs([model])), { code: "MISMATCH", message: /is not under a declared --output/ });
    }
    assert.equal(existsSync(join(dir, "escape.bin")), false);
    assert.equal(existsSync(join(cwd, "other.bin")), false);
    // "out2" is not under "out".
    await assert.rejects(restoreOutputs(hit([out("out2/x.bin", model)]), cwd, ["out"], blobs([model])), { code: "MISMATCH" });
  });
});
