import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";

// The agent bundle started through its launcher (dist/agent-bundle/launch.cjs, what the wheel
// runs, and bin/snaptrail.cjs for the job-host commands) keeps V8's compiled code in the user's
// cache folder. What a user checks: the job's output and exit status are the same with or
// without a cache, a cache file appears once and is then reused as is, and a cache that is
// broken, replaced by a link, writable by others or impossible to write never costs the job.
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const LAUNCH = join(ROOT, "dist", "agent-bundle", "launch.cjs");
const BIN = join(ROOT, "bin", "snaptrail.cjs");

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeArgs, script, ...args], { env, cwd: tmpdir(), timeout: 60_000 }, (err, stdout, stderr) => {
      const code: unknown = err?.code;
      if (err && typeof code !== "number") reject(new Error(`${script} did not run: ${err.message}`, { cause: err }));
      else resolve({ code: typeof code === "number" ? code : 0, stdout, stderr });
    });
  });
}

/** `wrap` a command that writes and fails, with no collector and no spool: only the launcher and the job are under test. */
const JOB = ["wrap", "--spool-dir", "", "--collector", "127.0.0.1:1", "--", "sh", "-c", "printf 'job output'; exit 3"];

function envWith(cacheDir: string | undefined, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, SNAPTRAIL_CONNECT_TIMEOUT_MS: "200", SNAPTRAIL_FINISH_TIMEOUT_MS: "100" };
  if (cacheDir !== undefined) env.SNAPTRAIL_CACHE_DIR = cacheDir;
  return env;
}

function assertJobRan(r: Ran): void {
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, "job output");
  assert.doesNotMatch(r.stderr, /cache|v8|Error:/i);
}

function cacheFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".v8cache")) : [];
}

describe("agent code cache", () => {
  const work = mkdtempSync(join(tmpdir(), "snaptrail-code-cache-"));
  after(() => rmSync(work, { recursive: true, force: true }));

  it("writes one private cache file for the command, then reuses it unchanged", async () => {
    const cache = join(work, "reuse");
    assertJobRan(await run(LAUNCH, JOB, envWith(cache, work)));
    const v8 = join(cache, "v8");
    const files = cacheFiles(v8);
    assert.equal(files.length, 1, `cache files: ${files.join(", ")}`);
    assert.match(files[0]!, /^wrap-[0-9a-f]{40}\.v8cache$/);
    const file = join(v8, files[0]!);
    assert.equal(statSync(v8).mode & 0o777, 0o700);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const before = statSync(file);
    assert.ok(before.size > 100_000, `a cache of the code wrap ran, not ${before.size} bytes`);

    assertJobRan(await run(LAUNCH, JOB, envWith(cache, work)));
    const again = statSync(file);
    // Accepted by V8, so not written again: same inode, same time.
    assert.equal(again.ino, before.ino);
    assert.equal(again.mtimeMs, before.mtimeMs);
    assert.deepEqual(cacheFiles(v8), files);
    assert.deepEqual(readdirSync(v8).filter((n) => n.endsWith(".tmp")), [], "no temp file left behind");
  });

  it("keeps another file for other V8 flags and for another command", async () => {
    const cache = join(work, "flags");
    assertJobRan(await run(LAUNCH, JOB, envWith(cache, work)));
    assertJobRan(await run(LAUNCH, JOB, envWith(cache, work), ["--max-old-space-size=200"]));
    const version = await run(LAUNCH, ["--version"], envWith(cache, work));
    assert.equal(version.code, 0);
    // Subcommands that run different code get their own too.
    for (const sub of ["status", "flush"]) assert.equal((await run(LAUNCH, ["spool", sub, "--help"], envWith(cache, work))).code, 0);
    const files = cacheFiles(join(cache, "v8")).sort();
    assert.equal(files.length, 5, files.join(", "));
    assert.equal(files.filter((f) => f.startsWith("wrap-")).length, 2);
    assert.equal(files.filter((f) => f.startsWith("other-")).length, 1);
    assert.equal(files.filter((f) => f.startsWith("spool-status-")).length, 1);
    assert.equal(files.filter((f) => f.startsWith("spool-flush-")).length, 1);
  });

  it("replaces a corrupt cache file, and the job runs as without one", async () => {
    const cache = join(work, "corrupt");
    assertJobRan(await run(LAUNCH, JOB, envWith(cache, work)));
    const v8 = join(cache, "v8");
    const file = join(v8, cacheFiles(v8)[0]!);
    const size = statSync(file).size;
    const garbage = Buffer.alloc(size, 0x5a);
    writeFileSync(file, garbage);
    assertJobRan(await run(LAUNCH, JOB, envWith(cache, work)));
    assert.notDeepEqual(readFileSync(file), garbage, "V8 refused the corrupt cache and it was written again");
  });

  it("does not use a cache file others may write or a symlink, and writes its own in its place", async () => {
    const cache = join(work, "untrusted");
    assertJobRan(await run(LAUNCH, JOB, envWith(cache, work)));
    const v8 = join(cache, "v8");
    const name = cacheFiles(v8)[0]!;
    const file = join(v8, name);
    chmodSync(file, 0o666);
    const writable = statSync(file);
    assertJobRan(await run(LAUNCH, JOB, envWith(cache, work)));
    assert.notEqual(statSync(file).ino, writable.ino, "a world-writable cache file is replaced, not used");
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const elsewhere = join(work, "planted.v8cache");
    writeFileSync(elsewhere, readFileSync(file));
    rmSync(file);
    symlinkSync(elsewhere, file);
    assertJobRan(await run(LAUNCH, JOB, envWith(cache, work)));
    assert.ok(lstatSync(file).isFile(), "the link was replaced by a file of its own");
  });

  it("runs the job unchanged when the cache folder cannot be made, and writes nothing when caching is off", async () => {
    const blocker = join(work, "a-file");
    writeFileSync(blocker, "not a folder");
    assertJobRan(await run(LAUNCH, JOB, envWith(join(blocker, "cache"), work)));

    const home = mkdtempSync(join(work, "home-"));
    assertJobRan(await run(LAUNCH, JOB, envWith("", home)));
    assert.deepEqual(readdirSync(home), [], "SNAPTRAIL_CACHE_DIR=\"\" writes no cache");
  });

  it("is used by the npm bin for the job-host commands only", async () => {
    const cache = join(work, "bin");
    assertJobRan(await run(BIN, JOB, envWith(cache, work)));
    assert.equal(cacheFiles(join(cache, "v8")).filter((f) => f.startsWith("wrap-")).length, 1);
    const help = await run(BIN, ["collector", "--help"], envWith(cache, work));
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /collector/);
    assert.equal(cacheFiles(join(cache, "v8")).length, 1, "the full CLI (the collector) is not started through the agent bundle");
  });
});
