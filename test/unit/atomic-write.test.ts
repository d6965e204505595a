import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { isTempFileName, stageFile, writeFileAtomic } from "../../core/fs/atomic-write.js";

const root = mkdtempSync(join(tmpdir(), "snaptrail-atomic-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function freshDir(): string {
  const d = join(root, `d${++n}`);
  mkdirSync(d);
  return d;
}

const moduleUrl = new URL("../../core/fs/atomic-write.js", import.meta.url).href;

/** Runs a script in a child node process (its own umask, its own death) with `write` imported. */
function child(script: string, umask = "022"): { status: number | null; signal: NodeJS.Signals | null; stderr: string } {
  const code = `import * as write from ${JSON.stringify(moduleUrl)};\n${script}`;
  const r = spawnSync("sh", ["-c", `umask ${umask} && exec "$0" --input-type=module -e "$1"`, process.execPath, code], { encoding: "utf8" });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) {
    await Promise.resolve();
    yield Buffer.from(p);
  }
}

describe("writeFileAtomic", () => {
  it("writes bytes or a stream whole, replacing what was there, and leaves no temporary file", async () => {
    const dir = freshDir();
    const file = join(dir, "a.bin");
    writeFileSync(file, "old");
    assert.deepEqual(await writeFileAtomic(file, Buffer.from("new bytes")), { bytes: 9 });
    assert.equal(readFileSync(file, "utf8"), "new bytes");
    assert.deepEqual(await writeFileAtomic(join(dir, "b.bin"), chunks("one ", "two ", "three")), { bytes: 13 });
    assert.equal(readFileSync(join(dir, "b.bin"), "utf8"), "one two three");
    assert.deepEqual(readdirSync(dir).sort(), ["a.bin", "b.bin"]);
  });

  it("a stream that fails midway leaves the old file as it was and no temporary file", async () => {
    const dir = freshDir();
    const file = join(dir, "a.bin");
    writeFileSync(file, "old");
    async function* broken(): AsyncIterable<Uint8Array> {
      yield* chunks("part");
      throw new Error("the sender went away");
    }
    await assert.rejects(writeFileAtomic(file, broken()), /the sender went away/);
    assert.equal(readFileSync(file, "utf8"), "old");
    assert.deepEqual(readdirSync(dir), ["a.bin"]);
  });

  it("writes the temporary file where tmpDir says, and only the target appears in the target's folder", async () => {
    const dir = freshDir();
    mkdirSync(join(dir, "tmp"));
    mkdirSync(join(dir, "final"));
    const staged = await stageFile(join(dir, "final", "x"), Buffer.from("x"), { tmpDir: join(dir, "tmp") });
    assert.deepEqual(readdirSync(join(dir, "tmp")).map(isTempFileName), [true]);
    assert.deepEqual(readdirSync(join(dir, "final")), []);
    await staged.commit();
    assert.deepEqual(readdirSync(join(dir, "tmp")), []);
    assert.deepEqual(readdirSync(join(dir, "final")), ["x"]);
  });

  it("a staged file is not visible under its name until committed; discarded, it is gone", async () => {
    const dir = freshDir();
    const file = join(dir, "blob");
    const staged = await stageFile(file, Buffer.from("checked later"));
    assert.deepEqual(readdirSync(dir), [staged.tmpPath.slice(dir.length + 1)]);
    await staged.discard();
    assert.deepEqual(readdirSync(dir), []);
    const kept = await stageFile(file, Buffer.from("checked later"));
    await kept.commit();
    await kept.discard(); // after a commit: leaves the file alone
    assert.equal(readFileSync(file, "utf8"), "checked later");
  });

  it("keeps a temporary name within NAME_MAX however long the target's name", async () => {
    const dir = freshDir();
    const file = join(dir, "n".repeat(250));
    await writeFileAtomic(file, Buffer.from("long"));
    assert.equal(readFileSync(file, "utf8"), "long");
  });

  it("refuses a mode that is not permission bits", async () => {
    const dir = freshDir();
    await assert.rejects(writeFileAtomic(join(dir, "x"), Buffer.from("x"), { mode: 0o100644 }), { code: "BAD_INPUT", message: /mode must be permission bits/ });
    await assert.rejects(writeFileAtomic(join(dir, "x"), Buffer.from("x"), { createMode: -1 }), { code: "BAD_INPUT" });
    assert.deepEqual(readdirSync(dir), []);
  });
});

describe("file modes", () => {
  it("sets `mode` exactly whatever the umask; `createMode` is narrowed by it like any new file", () => {
    const dir = freshDir();
    const r = child(
      `await write.writeFileAtomic(${JSON.stringify(join(dir, "exact"))}, Buffer.from("x"), { mode: 0o755 });
       await write.writeFileAtomic(${JSON.stringify(join(dir, "private"))}, Buffer.from("x"), { mode: 0o600 });
       await write.writeFileAtomic(${JSON.stringify(join(dir, "narrowed"))}, Buffer.from("x"), { createMode: 0o644 });`,
      "077",
    );
    assert.equal(r.status, 0, r.stderr);
    const mode = (name: string): string => (statSync(join(dir, name)).mode & 0o7777).toString(8);
    assert.equal(mode("exact"), "755");
    assert.equal(mode("private"), "600");
    assert.equal(mode("narrowed"), "600");
    const wide = child(`await write.writeFileAtomic(${JSON.stringify(join(dir, "wide"))}, Buffer.from("x"), { mode: 0o640 });`, "000");
    assert.equal(wide.status, 0, wide.stderr);
    assert.equal(mode("wide"), "640");
  });
});

describe("a writer killed midway", () => {
  it("leaves the old file under the final name and only a temporary file beside it", () => {
    const dir = freshDir();
    const file = join(dir, "model.bin");
    writeFileSync(file, "the old model");
    // Killed while streaming: part of the new bytes are in the temporary file, none under the name.
    const r = child(
      `async function* src() { yield Buffer.from("half of the new"); process.kill(process.pid, "SIGKILL"); yield Buffer.from("never"); }
       await write.writeFileAtomic(${JSON.stringify(file)}, src());`,
    );
    assert.equal(r.signal, "SIGKILL", r.stderr);
    assert.equal(readFileSync(file, "utf8"), "the old model");
    const temps = readdirSync(dir).filter(isTempFileName);
    assert.equal(temps.length, 1, `left: ${readdirSync(dir).join(", ")}`);
    assert.match(temps[0]!, /model\.bin$/, "the temporary name says what it was to become");
    // Killed after the temporary file was whole, before the rename: still the old file.
    const staged = child(`await write.stageFile(${JSON.stringify(file)}, Buffer.from("the new model")); process.kill(process.pid, "SIGKILL");`);
    assert.equal(staged.signal, "SIGKILL", staged.stderr);
    assert.equal(readFileSync(file, "utf8"), "the old model");
    assert.equal(readdirSync(dir).filter(isTempFileName).length, 2);
  });

  it("a new file killed midway does not appear at all", () => {
    const dir = freshDir();
    const r = child(
      `async function* src() { yield Buffer.from("part"); process.kill(process.pid, "SIGKILL"); }
       await write.writeFileAtomic(${JSON.stringify(join(dir, "fresh.bin"))}, src());`,
    );
    assert.equal(r.signal, "SIGKILL", r.stderr);
    assert.deepEqual(readdirSync(dir).filter((f) => !isTempFileName(f)), []);
  });
});
