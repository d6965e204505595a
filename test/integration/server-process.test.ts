import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { freePort } from "../helpers/free-port.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { keepServerDirs, makeServerDir, removeServerDir, requireExecutable, startServerProcess, type ServerProcess } from "../helpers/server-process.js";

// Tiny real servers: node one-liners, so the helper is tested on processes that do exactly one thing.
const node = (script: string, dir: string) => ({ command: process.execPath, args: ["-e", script], dir });

/** Whether a process with this PID still exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startServerProcess", () => {
  const dirs: string[] = [];
  const started: ServerProcess[] = [];
  const dir = (): string => {
    const d = makeServerDir("server-process-test");
    dirs.push(d);
    return d;
  };
  after(async () => {
    await Promise.all(started.map((s) => s.kill()));
    for (const d of dirs) removeServerDir(d, {});
  });

  it("resolves once the ready probe answers, keeps the log in memory and in <dir>/<name>.log, and a stop ends it with SIGTERM", async () => {
    const port = await freePort();
    const d = dir();
    const script = `require("node:http").createServer((q, s) => s.end("pong")).listen(${port}, "127.0.0.1", () => console.log("listening on ${port}"))`;
    const server = await startServerProcess({
      name: "pong",
      ...node(script, d),
      ready: async () => (await (await fetch(`http://127.0.0.1:${port}/`)).text()) === "pong",
      readyTimeoutMs: 30_000,
    });
    started.push(server);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), "pong");
    assert.match(server.stdout(), /listening on \d+/);
    assert.equal(server.exitStatus(), undefined);

    const exit = await server.stop();
    assert.deepEqual(exit, { pid: server.pid, code: null, signal: "SIGTERM", expected: true });
    assert.equal(alive(server.pid), false);
    assert.deepEqual(await server.exited(), exit);
    assert.match(readFileSync(join(d, "pong.log"), "utf8"), /listening on \d+/);
  });

  it("fails with the server's output when it exits before it is ready", async () => {
    await assert.rejects(
      startServerProcess({
        name: "broken",
        ...node(`console.error("fatal: no such config key 'prot'"); process.exit(3)`, dir()),
        ready: () => false,
        readyTimeoutMs: 60_000,
      }),
      (err: Error) => {
        assert.match(err.message, /^broken exited before it was ready \(code 3, signal null\)/);
        assert.match(err.message, /fatal: no such config key 'prot'/);
        return true;
      },
    );
  });

  it("fails, kills it and shows its output and diagnostics when it is never ready within the bound", async () => {
    let pid: number | undefined;
    await assert.rejects(
      startServerProcess({
        name: "mute",
        // sh prints at once (node may take longer than the bound to start on a loaded machine).
        command: "sh",
        args: ["-c", 'echo "starting, pid $$"; exec sleep 600'],
        dir: dir(),
        ready: (s) => {
          pid = s.pid;
          return false;
        },
        readyTimeoutMs: 1000,
        readyMeans: "say hello",
        diagnostics: () => "--- its own log\nwaiting for a lock",
      }),
      (err: Error) => {
        assert.match(err.message, /^mute was not ready within 1000 ms \(did not say hello\)/);
        assert.match(err.message, /starting, pid \d+/);
        assert.match(err.message, /waiting for a lock/);
        return true;
      },
    );
    assert.ok(pid !== undefined);
    assert.equal(alive(pid), false, "the helper killed the server it gave up on");
  });

  it("a probe that never settles does not outlive the bound", async () => {
    await assert.rejects(
      startServerProcess({ name: "hang", ...node("setInterval(() => {}, 1000)", dir()), ready: () => new Promise<boolean>(() => {}), readyTimeoutMs: 300 }),
      /hang was not ready within 300 ms/,
    );
  });

  it("stop escalates to SIGKILL when the server ignores SIGTERM", async () => {
    const server = await startServerProcess({
      name: "stubborn",
      ...node(`process.on("SIGTERM", () => console.log("ignoring SIGTERM")); console.log("up"); setInterval(() => {}, 1000)`, dir()),
      ready: (s) => s.stdout().includes("up\n"),
      readyTimeoutMs: 30_000,
    });
    started.push(server);
    const exit = await server.stop(500);
    assert.equal(exit.signal, "SIGKILL");
    assert.equal(exit.expected, true);
    assert.equal(alive(server.pid), false);
  });

  it("an exit the helper did not ask for is reported as not expected", async () => {
    const server = await startServerProcess({
      name: "crashy",
      ...node(`console.log("up"); setInterval(() => {}, 1000)`, dir()),
      ready: (s) => s.stdout().includes("up\n"),
      readyTimeoutMs: 30_000,
    });
    started.push(server);
    process.kill(server.pid, "SIGKILL");
    assert.deepEqual(await server.exited(), { pid: server.pid, code: null, signal: "SIGKILL", expected: false });
  });

  it("a command that cannot start fails the start, naming it", async () => {
    await assert.rejects(
      startServerProcess({ name: "ghost", command: "/nonexistent/ghost-server", args: [], dir: dir(), ready: () => true, readyTimeoutMs: 30_000 }),
      /ghost could not be started[\s\S]*ENOENT/,
    );
  });
});

describe("server folders", () => {
  it("removeServerDir removes the folder, and keeps it when SNAPTRAIL_TEST_KEEP_DIRS=1", () => {
    const kept = makeServerDir("keep-test");
    removeServerDir(kept, { SNAPTRAIL_TEST_KEEP_DIRS: "1" });
    assert.equal(existsSync(kept), true);
    removeServerDir(kept, {});
    assert.equal(existsSync(kept), false);
    assert.equal(keepServerDirs({ SNAPTRAIL_TEST_KEEP_DIRS: "0" }), false);
  });

  it("nats-server's destroy keeps its folder, log included, when SNAPTRAIL_TEST_KEEP_DIRS=1", async () => {
    const before = process.env.SNAPTRAIL_TEST_KEEP_DIRS;
    process.env.SNAPTRAIL_TEST_KEEP_DIRS = "1";
    const nats = await startNatsServer();
    try {
      await nats.destroy();
      assert.equal(existsSync(nats.storeDir), true);
      assert.match(readFileSync(join(nats.dir, "nats-server.log"), "utf8"), /Server is ready/);
    } finally {
      if (before === undefined) delete process.env.SNAPTRAIL_TEST_KEEP_DIRS;
      else process.env.SNAPTRAIL_TEST_KEEP_DIRS = before;
      removeServerDir(nats.dir);
    }
  });

  it("a missing server binary is a failure that says what to install, never a skip", () => {
    assert.throws(() => requireExecutable("snaptrail-no-such-server", "install it from the moon"), /snaptrail-no-such-server not found: install it from the moon/);
    assert.throws(() => requireExecutable("/nonexistent/bin/server", "apt-get install server"), /not found: apt-get install server/);
    requireExecutable(process.execPath, "never");
    requireExecutable("sh", "never");
  });
});
