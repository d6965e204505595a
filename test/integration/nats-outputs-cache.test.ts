// `wrap --cache` over NATS, as a new user runs it: a real nats-server, a real collector process
// consuming it (filesystem blob store), the real CLI bundle. The outputs' bytes go to the
// JetStream object store; the collector must bring them into its blob store, or no run is ever
// a cache hit over the scale-out transport.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunDetail } from "../../core/api-types.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { commitRepo } from "../helpers/git.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { waitFor } from "../helpers/nats-test-client.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";

// Random bytes each time it really runs, and a line in a side file: a hit leaves both alone.
const JOB = `import os, sys
with open(sys.argv[1], "a") as f:
    f.write("ran\\n")
with open("out.txt", "wb") as f:
    f.write(os.urandom(3000))
`;

void describe("wrap --cache over NATS", () => {
  let dir: string;
  let repo: string;
  let side: string;
  let nats: NatsServer;
  let collector: CollectorProcess;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-nats-cache-"));
    repo = join(dir, "repo");
    side = join(dir, "side.log");
    commitRepo(repo, { "job.py": JOB, ".gitignore": "out.txt\n" }, "job");
    nats = await startNatsServer();
    collector = await startCollectorProcess({
      db: join(dir, "snaptrail.db"),
      blobDir: join(dir, "blobs"),
      args: ["--nats", nats.url],
      env: { SNAPTRAIL_LOG_LEVEL: "warn" },
    });
  });
  after(async () => {
    await collector?.stop();
    await nats?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const wrap = (runId: string): Promise<CliResult> =>
    runCli(["wrap", "--transport", "nats", "--nats", nats.url, "--python", "python3", "--cache", "--output", "out.txt", "--", "python3", "job.py", side], {
      cwd: repo,
      env: {
        ...process.env,
        SNAPTRAIL_RUN_ID: runId,
        SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
        SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
        SNAPTRAIL_CACHE_DIR: "",
      },
    });
  const ranTimes = (): number => (existsSync(side) ? readFileSync(side, "utf8").split("\n").filter(Boolean).length : 0);
  async function storedRun(runId: string): Promise<RunDetail> {
    let run: RunDetail | undefined;
    await waitFor(`run ${runId} to be stored and finished`, async () => {
      const res = await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(runId)}`);
      if (res.status !== 200) return false;
      run = (await res.json()) as RunDetail;
      return run.status === "succeeded";
    });
    return run!;
  }

  void it("a second and third identical run are cache hits, restoring the first run's bytes", async () => {
    const first = await wrap(`local:test/nats-cache-${process.pid}-1`);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(ranTimes(), 1);
    const bytes = readFileSync(join(repo, "out.txt"));
    const source = await storedRun(`local:test/nats-cache-${process.pid}-1`);
    assert.ok(source.cacheKey, "the run has a cache key");
    assert.deepEqual(source.outputs.map((o) => [o.path, o.size, o.stored]), [["out.txt", 3000, true]]);

    // Once the run is visible, its outputs are in the collector's blob store: a lookup is a hit.
    const lookup = await fetch(`${collector.httpUrl}/api/v1/cache/${source.cacheKey}`);
    assert.equal(lookup.status, 200, await lookup.clone().text());
    const served = await fetch(`${collector.httpUrl}/api/v1/blobs/${source.outputs[0]!.digest}`);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes);

    for (const n of [2, 3]) {
      rmSync(join(repo, "out.txt"));
      const again = await wrap(`local:test/nats-cache-${process.pid}-${n}`);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /cache hit/, `run ${n}`);
      assert.equal(ranTimes(), 1, `run ${n} did not execute the command`);
      assert.deepEqual(readFileSync(join(repo, "out.txt")), bytes, `run ${n} restored the first run's bytes`);
      const hit = await storedRun(`local:test/nats-cache-${process.pid}-${n}`);
      assert.equal(hit.cachedFrom, source.runId);
    }
  });
});
