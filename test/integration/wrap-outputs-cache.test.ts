import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import type { RunSummary } from "../../core/api-types.js";
import { startClickHouseServer, TEST_PASSWORD, type ClickHouseServer } from "../helpers/clickhouse-server.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { createVenv, pipInstall } from "../helpers/python-env.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { commitRepo, git } from "../helpers/git.js";

// `wrap --output`, `which` and `wrap --cache` end to end: the real CLI bundle, a real collector
// process with a filesystem blob store, a real venv and a real git repo. The job appends a line
// to a side file each time it really runs and writes random bytes, so a cache hit is proven by
// the side file not growing and by the restored bytes being the first run's.
const JOB = `import os, sys
mode, tag, side, data = sys.argv[1:5]
with open(side, "a") as f:
    f.write(tag + "\\n")
os.makedirs("out/sub", exist_ok=True)
with open("out/model.bin", "wb") as f:
    f.write(open(data, "rb").read() + os.urandom(4096))
with open("out/sub/metrics.json", "w") as f:
    f.write('{"loss": 0.1}')
os.chmod("out/sub/metrics.json", 0o755)
if mode == "fail":
    sys.exit(1)
`;

const sha256 = (bytes: Buffer): string => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

void describe("wrap --output, which, wrap --cache", () => {
  let dir: string;
  let repo: string;
  let python: string;
  let blobDir: string;
  let input: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let env: NodeJS.ProcessEnv;
  let seq = 0;
  const nextRunId = () => `local:test/outputs-${process.pid}-${++seq}`;
  const sideFile = (tag: string) => join(dir, `side-${tag}.log`);
  const ranTimes = (tag: string) => (existsSync(sideFile(tag)) ? readFileSync(sideFile(tag), "utf8").split("\n").filter(Boolean).length : 0);

  /** `snaptrail wrap [flags] -- python job.py MODE TAG SIDE INPUT` as run RUN_ID. */
  const wrapJob = (runId: string, tag: string, flags: string[], o: { mode?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> =>
    runCli(["wrap", ...flags, "--", python, "job.py", o.mode ?? "ok", tag, sideFile(tag), input], {
      cwd: repo,
      env: { ...env, SNAPTRAIL_RUN_ID: runId, ...o.env },
    });
  const cacheFlags = () => ["--cache", "--input", input, "--output", "out/model.bin", "--output", "out/sub"];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-outputs-"));
    python = await createVenv(join(dir, "venv"), ["six==1.16.0"]);
    repo = join(dir, "repo");
    commitRepo(repo, { "job.py": JOB }, "job");
    input = join(dir, "input.txt");
    writeFileSync(input, "training data v1\n");
    blobDir = join(dir, "blobs");
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db"), blobDir });
    client = new CollectorHttpClient(collector.httpUrl);
    env = {
      ...process.env,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
      SNAPTRAIL_PIPELINE: "outputs-tests",
      SNAPTRAIL_STEP: "train",
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
      // A loaded test machine must not turn a slow ack into a spooled (not yet visible) run.
      SNAPTRAIL_FINISH_TIMEOUT_MS: "10000",
    };
  });

  after(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it("--output records each output's sha256, size and mode; a missing one is a warning, never a failure", async () => {
    const runId = nextRunId();
    const r = await wrapJob(runId, "record", ["--output", "out/model.bin", "--output", "out/sub", "--output", "out/never-written.bin"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^snaptrail: warning: output out\/never-written\.bin does not exist$/m);
    const model = readFileSync(join(repo, "out/model.bin"));
    const metrics = readFileSync(join(repo, "out/sub/metrics.json"));
    const run = await client.getRun(runId);
    assert.deepEqual(run.outputs, [
      { path: "out/model.bin", digest: sha256(model), size: model.length, mode: statSync(join(repo, "out/model.bin")).mode & 0o7777, stored: false },
      { path: "out/never-written.bin", digest: "", size: 0, mode: 0, stored: false },
      { path: "out/sub/metrics.json", digest: sha256(metrics), size: metrics.length, mode: 0o755, stored: false },
    ]);
    assert.equal(run.cacheKey, null, "no --cache, no key");

    const show = await runCli(["show", runId, "--no-color"], { env });
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout.toString(), /Outputs \(3\)\n {2}out\/model\.bin +4(\.\d)? KiB +sha256:[0-9a-f]{16}\n {2}out\/never-written\.bin +missing\n/);
  });

  void it("which finds the run that produced a file, with its commit and environment, and says when none did", async () => {
    const runId = nextRunId();
    const r = await wrapJob(runId, "which", ["--output", "out/model.bin"]);
    assert.equal(r.code, 0, r.stderr);
    const run = await client.getRun(runId);
    const found = await runCli(["which", "out/model.bin", "--no-color"], { cwd: repo, env });
    assert.equal(found.code, 0, found.stderr);
    const text = found.stdout.toString();
    assert.ok(text.includes(runId), text);
    assert.ok(text.includes(run.gitCommit!.slice(0, 12)), text);
    assert.ok(text.includes(run.environmentDigest!.slice(0, "sha256:".length + 12)), text);

    const json = await runCli(["which", "out/model.bin", "--json"], { cwd: repo, env });
    assert.equal(json.code, 0, json.stderr);
    const [answer] = JSON.parse(json.stdout.toString()) as { digest: string; producers: { run: RunSummary; path: string }[] }[];
    assert.equal(answer?.digest, sha256(readFileSync(join(repo, "out/model.bin"))));
    assert.deepEqual(answer.producers.map((p) => [p.run.runId, p.path, p.run.gitCommit, p.run.environmentDigest]), [[runId, "out/model.bin", run.gitCommit, run.environmentDigest]]);

    const stranger = join(dir, "stranger.bin");
    writeFileSync(stranger, "nobody made me\n");
    const none = await runCli(["which", stranger], { env });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no recorded run produced .*stranger\.bin \(sha256:[0-9a-f]{64}\)/);
    const unreadable = await runCli(["which", join(dir, "does-not-exist")], { env });
    assert.equal(unreadable.code, 1);
    assert.match(unreadable.stderr, /cannot read .*does-not-exist/);
  });

  void it("a second identical run is a cache hit: the command is skipped and the outputs come back byte for byte", async () => {
    const first = nextRunId();
    const r1 = await wrapJob(first, "hit", cacheFlags());
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(r1.stderr, "", "a miss says nothing");
    assert.equal(ranTimes("hit"), 1);
    const model = readFileSync(join(repo, "out/model.bin"));
    const source = await client.getRun(first);
    assert.match(source.cacheKey ?? "", /^sha256:[0-9a-f]{64}$/);
    assert.equal(source.cachedFrom, null);
    assert.ok(source.outputs.length === 2 && source.outputs.every((o) => o.stored), JSON.stringify(source.outputs));

    rmSync(join(repo, "out"), { recursive: true });
    const second = nextRunId();
    const r2 = await wrapJob(second, "hit", cacheFlags());
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(r2.stderr, `snaptrail: cache hit: outputs restored from run ${first}; command skipped\n`);
    assert.equal(ranTimes("hit"), 1, "the command did not run again");
    assert.ok(readFileSync(join(repo, "out/model.bin")).equals(model), "model.bin restored byte for byte");
    assert.equal(readFileSync(join(repo, "out/sub/metrics.json"), "utf8"), '{"loss": 0.1}');
    assert.equal(statSync(join(repo, "out/sub/metrics.json")).mode & 0o7777, 0o755, "mode kept");

    const cached = await client.getRun(second);
    assert.equal(cached.status, "succeeded");
    assert.equal(cached.exitCode, 0);
    assert.equal(cached.cachedFrom, first);
    assert.equal(cached.cacheKey, source.cacheKey);
    assert.deepEqual(cached.outputs, source.outputs);
    const listed = await runCli(["runs", "--pipeline", "outputs-tests", "--no-color"], { env });
    assert.match(listed.stdout.toString(), new RegExp(`${second.replace(/[/.]/g, "\\$&")} +outputs-tests/train +succeeded \\(cached\\)`));
    const show = await runCli(["show", second, "--no-color"], { env });
    assert.match(show.stdout.toString(), new RegExp(`cached from +${first.replace(/[/.]/g, "\\$&")}`));

    // A third run restores from the run that really ran, not from the cached one.
    const r3 = await wrapJob(nextRunId(), "hit", cacheFlags());
    assert.equal(r3.stderr, `snaptrail: cache hit: outputs restored from run ${first}; command skipped\n`);
  });

  void it("a changed input, code file or package is a miss; the same content again is a hit", async () => {
    const tag = "miss";
    assert.equal((await wrapJob(nextRunId(), tag, cacheFlags())).code, 0);
    assert.equal(ranTimes(tag), 1);
    assert.match((await wrapJob(nextRunId(), tag, cacheFlags())).stderr, /cache hit/);
    assert.equal(ranTimes(tag), 1);

    writeFileSync(input, "training data v2\n");
    const changedInput = await wrapJob(nextRunId(), tag, cacheFlags());
    assert.doesNotMatch(changedInput.stderr, /cache hit/);
    assert.equal(ranTimes(tag), 2, "a changed input runs the command");
    writeFileSync(input, "training data v1\n");
    assert.match((await wrapJob(nextRunId(), tag, cacheFlags())).stderr, /cache hit/, "the old input's content is a hit again");
    assert.equal(ranTimes(tag), 2);

    writeFileSync(join(repo, "job.py"), `${JOB}# a comment changes the code\n`);
    git(repo, "commit", "-qam", "comment");
    const changedCode = await wrapJob(nextRunId(), tag, cacheFlags());
    assert.doesNotMatch(changedCode.stderr, /cache hit/);
    assert.equal(ranTimes(tag), 3, "a changed code file runs the command");
    assert.match((await wrapJob(nextRunId(), tag, cacheFlags())).stderr, /cache hit/);

    await pipInstall(python, ["six==1.15.0"]);
    try {
      const changedPackage = await wrapJob(nextRunId(), tag, cacheFlags());
      assert.doesNotMatch(changedPackage.stderr, /cache hit/);
      assert.equal(ranTimes(tag), 4, "a changed package runs the command");
    } finally {
      await pipInstall(python, ["six==1.16.0"]);
      writeFileSync(join(repo, "job.py"), JOB);
      git(repo, "commit", "-qam", "back");
    }
  });

  void it("a failed run is never a cache source", async () => {
    const tag = "fail";
    const first = nextRunId();
    const r1 = await wrapJob(first, tag, cacheFlags(), { mode: "fail" });
    assert.equal(r1.code, 1);
    const failed = await client.getRun(first);
    assert.equal(failed.status, "failed");
    assert.ok(failed.cacheKey);
    assert.ok(failed.outputs.every((o) => !o.stored), "a failed run's outputs are not uploaded");
    const r2 = await wrapJob(nextRunId(), tag, cacheFlags(), { mode: "fail" });
    assert.equal(r2.code, 1);
    assert.doesNotMatch(r2.stderr, /cache hit/);
    assert.equal(ranTimes(tag), 2);
  });

  void it("an output blob missing from the blob store is a miss, and the run that follows stores it again", async () => {
    const tag = "gone";
    const first = nextRunId();
    assert.equal((await wrapJob(first, tag, cacheFlags())).code, 0);
    const model = (await client.getRun(first)).outputs.find((o) => o.path === "out/model.bin")!;
    const hex = model.digest.slice("sha256:".length);
    unlinkSync(join(blobDir, "sha256", hex.slice(0, 2), hex));
    const second = await wrapJob(nextRunId(), tag, cacheFlags());
    assert.equal(second.code, 0);
    assert.equal(second.stderr, "", "a miss says nothing");
    assert.equal(ranTimes(tag), 2, "the command ran");
    assert.match((await wrapJob(nextRunId(), tag, cacheFlags())).stderr, /cache hit/);
    assert.equal(ranTimes(tag), 2);
  });

  void it("an output over maxCacheOutputBytes is recorded but not uploaded: the run is no cache source", async () => {
    const tag = "too-big";
    const env2 = { SNAPTRAIL_MAX_CACHE_OUTPUT_BYTES: "1024" };
    const first = nextRunId();
    const r1 = await wrapJob(first, tag, cacheFlags(), { env: env2 });
    assert.equal(r1.code, 0);
    assert.match(r1.stderr, /^snaptrail: warning: output out\/model\.bin \(4(\.\d)? KiB\) is over maxCacheOutputBytes \(1 KiB\): not cached$/m);
    const run = await client.getRun(first);
    assert.deepEqual(run.outputs.map((o) => [o.path, o.stored]), [["out/model.bin", false], ["out/sub/metrics.json", true]]);
    const r2 = await wrapJob(nextRunId(), tag, cacheFlags(), { env: env2 });
    assert.doesNotMatch(r2.stderr, /cache hit/);
    assert.equal(ranTimes(tag), 2);
  });

  void it("--cache without any --output is refused with a warning: the command always runs", async () => {
    const tag = "no-outputs";
    for (let i = 0; i < 2; i++) {
      const r = await wrapJob(nextRunId(), tag, ["--cache", "--input", input]);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, "snaptrail: warning: not cached: --cache needs at least one --output (SNAPTRAIL_OUTPUTS); running the command\n");
    }
    assert.equal(ranTimes(tag), 2);
  });

  void it("a collector that cannot be reached for the lookup is a miss with one warning; the job still runs", async () => {
    const tag = "away";
    const r = await wrapJob(nextRunId(), tag, cacheFlags(), { env: { SNAPTRAIL_COLLECTOR_HTTP: "http://127.0.0.1:9" } });
    assert.equal(r.code, 0);
    assert.equal(ranTimes(tag), 1);
    const lines = r.stderr.split("\n").filter(Boolean);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^snaptrail: warning: cache lookup failed: cannot reach the collector at http:\/\/127\.0\.0\.1:9.*; running the command$/);
  });
});

// The same cache and `which` through a collector on the ClickHouse store (clickhouse-server 18.16
// started by the helper): the store's index tables answer, not only SQLite's.
void describe("wrap --cache and which on the ClickHouse store", () => {
  let dir: string;
  let repo: string;
  let server: ClickHouseServer;
  let collector: CollectorProcess;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-outputs-ch-"));
    repo = join(dir, "repo");
    commitRepo(repo, { "job.py": JOB }, "job");
    writeFileSync(join(dir, "input.txt"), "data\n");
    server = await startClickHouseServer();
    collector = await startCollectorProcess({ store: server.storeUrl("outputs"), blobDir: join(dir, "blobs"), env: { SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD } });
    env = {
      ...process.env,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
      SNAPTRAIL_FINISH_TIMEOUT_MS: "10000",
    };
  });

  after(async () => {
    await collector?.stop();
    await server?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  void it("a second identical run is a hit restored byte for byte, and which finds the run that really ran", async () => {
    const side = join(dir, "side.log");
    const job = (runId: string) =>
      runCli(["wrap", "--cache", "--input", join(dir, "input.txt"), "--output", "out", "--", "python3", "job.py", "ok", "ch", side, join(dir, "input.txt")], {
        cwd: repo,
        env: { ...env, SNAPTRAIL_RUN_ID: runId },
      });
    const first = `local:test/outputs-ch-${process.pid}-1`;
    assert.equal((await job(first)).code, 0);
    const model = readFileSync(join(repo, "out/model.bin"));
    rmSync(join(repo, "out"), { recursive: true });
    const second = await job(`local:test/outputs-ch-${process.pid}-2`);
    assert.equal(second.stderr, `snaptrail: cache hit: outputs restored from run ${first}; command skipped\n`);
    assert.equal(readFileSync(side, "utf8"), "ch\n", "the command ran once");
    assert.ok(readFileSync(join(repo, "out/model.bin")).equals(model));

    const which = await runCli(["which", "out/model.bin", "--json"], { cwd: repo, env });
    assert.equal(which.code, 0, which.stderr);
    const [answer] = JSON.parse(which.stdout.toString()) as { producers: { run: RunSummary; path: string }[] }[];
    // Both runs recorded the file: the hit (newest) and the run that produced it.
    assert.deepEqual(answer?.producers.map((p) => [p.run.runId, p.run.cachedFrom, p.path]), [
      [`local:test/outputs-ch-${process.pid}-2`, first, "out/model.bin"],
      [first, null, "out/model.bin"],
    ]);
  });
});
