import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { SnaptrailError } from "../../core/errors.js";
import { LockHeldError } from "../../core/fs/lock-held-error.js";
import { breakLockIfStale, lockState, tryLock, waitForLock } from "../../core/fs/pid-lock.js";

let dir: string;
let n = 0;
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "snaptrail-lock-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));
const lockFile = (): string => path.join(dir, `l${++n}.lock`);

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

const holderJson = (pid: number, host = os.hostname(), startedAt = new Date().toISOString()): string => JSON.stringify({ pid, host, startedAt, nonce: "n" });

describe("tryLock", () => {
  it("takes a free lock, says who holds it to a second taker, and is free again once released", async () => {
    const file = lockFile();
    const first = await tryLock(file);
    assert.ok(first.ok);
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), { ...first.lock.holder });
    assert.equal(first.lock.holder.pid, process.pid);
    const second = await tryLock(file);
    assert.equal(second.ok, false);
    assert.equal(!second.ok && second.holder?.pid, process.pid);
    assert.equal((await lockState(file)).state, "held");
    first.lock.release();
    assert.equal(existsSync(file), false);
    assert.deepEqual(await lockState(file), { state: "free" });
    const third = await tryLock(file);
    assert.ok(third.ok);
    third.lock.release();
  });

  it("breaks the stale lock of a process that died on this host, in either format", async () => {
    for (const content of [holderJson(deadPid()), `${os.hostname()} ${deadPid()} ${Date.now()}\n`]) {
      const file = lockFile();
      writeFileSync(file, content);
      assert.equal((await lockState(file)).state, "stale");
      const taken = await tryLock(file);
      assert.ok(taken.ok, `not broken: ${content}`);
      assert.equal((JSON.parse(readFileSync(file, "utf8")) as { pid: number }).pid, process.pid);
      taken.lock.release();
      assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith(path.basename(file))), [], "nothing set aside is left");
    }
  });

  it("never judges a holder on another host by its pid; only an age limit makes its lock stale", async () => {
    const file = lockFile();
    writeFileSync(file, holderJson(deadPid(), `${os.hostname()}-other`));
    const attempt = await tryLock(file);
    assert.equal(attempt.ok, false);
    assert.equal(!attempt.ok && attempt.holder?.host, `${os.hostname()}-other`);
    assert.equal(await breakLockIfStale(file), false);
    assert.equal(existsSync(file), true);
    writeFileSync(file, holderJson(deadPid(), `${os.hostname()}-other`, new Date(Date.now() - 10 * 60_000).toISOString()));
    assert.equal((await lockState(file)).state, "held", "no age limit: held");
    assert.equal((await lockState(file, { staleAfterMs: 60_000 })).state, "stale");
    assert.equal(await breakLockIfStale(file, { staleAfterMs: 60_000 }), true);
    assert.equal(existsSync(file), false);
  });

  it("an age limit makes even a live holder's old lock stale", async () => {
    const file = lockFile();
    writeFileSync(file, `${os.hostname()} ${process.pid} ${Date.now() - 5 * 60_000}\n`);
    assert.equal((await lockState(file)).state, "held");
    assert.equal((await lockState(file, { staleAfterMs: 2 * 60_000 })).state, "stale");
  });

  it("an empty lock file is being written right now while young, and stale once old", async () => {
    const file = lockFile();
    writeFileSync(file, "");
    assert.equal((await tryLock(file)).ok, false, "a young empty lock is not broken");
    const past = new Date(Date.now() - 60_000);
    utimesSync(file, past, past);
    const taken = await tryLock(file);
    assert.ok(taken.ok);
    taken.lock.release();
  });

  it("of many takers racing for one stale lock, exactly one gets it", async () => {
    for (let round = 0; round < 20; round++) {
      const file = lockFile();
      writeFileSync(file, holderJson(deadPid()));
      const attempts = await Promise.all(Array.from({ length: 8 }, () => tryLock(file)));
      const won = attempts.filter((a) => a.ok);
      assert.equal(won.length, 1, `round ${round}: ${won.length} holders`);
      for (const a of won) a.lock.release();
    }
  });

  it("a release after the lock was broken and taken by another leaves the other's lock", async () => {
    const file = lockFile();
    const mine = await tryLock(file, { staleAfterMs: 60_000 });
    assert.ok(mine.ok);
    writeFileSync(file, holderJson(process.pid, os.hostname(), new Date(Date.now() + 1).toISOString()));
    mine.lock.release();
    assert.equal(existsSync(file), true);
  });

  it("says clearly when the folder cannot hold a lock", async () => {
    await assert.rejects(tryLock(path.join(dir, "missing", "x.lock")), { code: "ENOENT" });
  });
});

describe("waitForLock", () => {
  it("waits for a live holder, then gives up with LockHeldError naming it and the file", async () => {
    const file = lockFile();
    const held = await tryLock(file);
    assert.ok(held.ok);
    let waitedFor = 0;
    await assert.rejects(
      waitForLock(file, { timeoutMs: 150, pollMs: 50, onWait: (h) => (waitedFor = h.pid) }),
      (err: unknown) => err instanceof LockHeldError && err.code === "UNAVAILABLE" && err.file === file && err.holder?.pid === process.pid && err.message.includes(`process ${process.pid}`),
    );
    assert.equal(waitedFor, process.pid);
    held.lock.release();
    (await waitForLock(file, { timeoutMs: 1_000 })).release();
  });
});

// The venv cache's build lock (agent/restore/env/rebuild-environment.ts) is this lock, without an age limit.
void describe("venv lock", () => {
  void it("breaks a lock whose owner on this host is gone, and releases only its own lock", async () => {
    const file = path.join(dir, "a.lock");
    writeFileSync(file, JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: "2020-01-01T00:00:00Z" }));
    const lock = await waitForLock(file, { timeoutMs: 5_000 });
    const owner = JSON.parse(readFileSync(file, "utf8")) as { pid: number };
    assert.equal(owner.pid, process.pid);
    lock.release();
    assert.equal(existsSync(file), false);
  });

  void it("waits for a live owner, then gives up with UNAVAILABLE naming it", async () => {
    const file = path.join(dir, "b.lock");
    const held = await waitForLock(file, { timeoutMs: 1_000 });
    let waitedFor = 0;
    await assert.rejects(
      waitForLock(file, { timeoutMs: 300, pollMs: 50, onWait: (o) => (waitedFor = o.pid) }),
      (err: unknown) => err instanceof SnaptrailError && err.code === "UNAVAILABLE" && err.message.includes(`process ${process.pid}`),
    );
    assert.equal(waitedFor, process.pid);
    held.release();
    const again = await waitForLock(file, { timeoutMs: 1_000 });
    again.release();
  });

  void it("a lock held from another host is waited for, not broken", async () => {
    const file = path.join(dir, "c.lock");
    writeFileSync(file, JSON.stringify({ pid: deadPid(), host: `${os.hostname()}-other`, startedAt: "x" }));
    await assert.rejects(waitForLock(file, { timeoutMs: 200, pollMs: 50 }), /held by process \d+ on .*-other/);
    assert.equal(existsSync(file), true);
  });

  void it("an empty lock file left long ago (killed before writing its owner) is broken", async () => {
    const file = path.join(dir, "d.lock");
    writeFileSync(file, "");
    const past = new Date(Date.now() - 60_000);
    utimesSync(file, past, past);
    const lock = await waitForLock(file, { timeoutMs: 2_000, pollMs: 50 });
    lock.release();
  });
});
