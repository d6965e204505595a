// The collector as a real process: gRPC Publish / HasDigests / PutBlob with a real grpc-js
// client, then the same data over the HTTP API with fetch.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RunDetail, RunDiff, RunSummary } from "../../core/api-types.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { sha256Digest, snapshotDigest } from "../../core/digest.js";
import { NotFoundError } from "../../core/errors.js";
import type { CollectorClient } from "../../proto/generated/snaptrail/v1/Collector.js";
import { capturedEvent, codeSnapshot, envSnapshot, finishedEvent, hostSnapshot, startedEvent } from "../helpers/collector-fixtures.js";
import { collectorClient, hasDigests, publish, putBlob } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";

const GOOD = "airflow:nightly_train/scheduled__2024-05-01T00:00:00+00:00/train/1";
const BAD = "airflow:nightly_train/scheduled__2024-05-02T00:00:00+00:00/train/1";

const archive = Buffer.from("pretend this is a tar archive of the work tree\n".repeat(5000));
const archiveDigest = sha256Digest(archive);
const goodEnv = envSnapshot({ pydantic: "1.10.13", numpy: "1.26.4" });
const badEnv = envSnapshot({ pydantic: "2.7.1", numpy: "1.26.4", langchain: "0.2.0" });
const host = hostSnapshot("gpu-node-01");
const code = codeSnapshot("1111111111111111111111111111111111111111", archiveDigest);

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

void describe("collector process over gRPC and HTTP", () => {
  let collector: CollectorProcess;
  let client: CollectorClient;
  before(async () => {
    collector = await startCollectorProcess();
    client = await collectorClient(collector.grpcAddress);
  });
  after(async () => {
    client?.close();
    const exit = await collector?.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, `collector did not stop cleanly:\n${collector?.stderr()}`);
  });

  const goodEvents = [
    startedEvent(GOOD, { time: 1_714_521_600_000 }),
    capturedEvent(GOOD, { environment: { body: goodEnv }, host: { body: host }, code: { body: code } }, { time: 1_714_521_600_500 }),
    finishedEvent(GOOD, { time: 1_714_521_660_000, exitCode: 0 }),
  ];

  void it("binds loopback on free ports and logs both addresses at start", () => {
    assert.match(collector.grpcAddress, /^127\.0\.0\.1:\d+$/);
    assert.match(collector.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(collector.grpcAddress.endsWith(":0"), true);
    const start = collector.stderr().split("\n").find((l) => l.includes("collector listening"));
    assert.ok(start, collector.stderr());
    assert.ok(start.includes(collector.grpcAddress) && start.includes(collector.httpUrl));
  });

  void it("acks STORED for new events with bodies, in order", async () => {
    const { acks, error } = await publish(client, goodEvents);
    assert.equal(error, undefined);
    assert.deepEqual(
      acks.map((a) => [a.eventId, a.outcome, a.error]),
      goodEvents.map((e) => [e.eventId, "STORED", ""]),
    );
  });

  void it("acks DUPLICATE for the same events sent again", async () => {
    const { acks, error } = await publish(client, goodEvents);
    assert.equal(error, undefined);
    assert.deepEqual(
      acks.map((a) => a.outcome),
      ["DUPLICATE", "DUPLICATE", "DUPLICATE"],
    );
  });

  void it("HasDigests reports the stored snapshots, and the archive only once uploaded", async () => {
    const digests = [snapshotDigest("environment", goodEnv), snapshotDigest("host", host), snapshotDigest("code", code)];
    const unknown = sha256Digest("never sent");
    assert.deepEqual(await hasDigests(client, [...digests, archiveDigest, unknown, "not-a-digest"]), digests);
    const put = await putBlob(client, archiveDigest, archive, { chunkBytes: 10_000 });
    assert.deepEqual(put, { digest: archiveDigest, bytes: archive.length, alreadyPresent: false });
    assert.deepEqual(await hasDigests(client, [archiveDigest, unknown]), [archiveDigest]);
    const again = await putBlob(client, archiveDigest, archive);
    assert.equal(again.alreadyPresent, true);
  });

  void it("serves the uploaded archive over HTTP, byte for byte", async () => {
    const res = await fetch(`${collector.httpUrl}/api/v1/blobs/${archiveDigest}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/octet-stream");
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), archive);
    const missing = await getJson<{ message: string; code: string }>(`${collector.httpUrl}/api/v1/blobs/${sha256Digest("nope")}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, "NOT_FOUND");
  });

  void it("serves a stored snapshot by digest, and through the CLI's client", async () => {
    const envDigest = snapshotDigest("environment", goodEnv);
    const res = await getJson<{ digest: string; kind: string; body: { packages: { name: string }[] } }>(`${collector.httpUrl}/api/v1/snapshots/${envDigest}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, "environment");
    assert.equal(res.body.digest, envDigest);
    assert.deepEqual(res.body.body.packages.map((p) => p.name), goodEnv.packages.map((p) => p.name));
    const http = new CollectorHttpClient(collector.httpUrl);
    assert.equal((await http.getSnapshot(snapshotDigest("code", code))).kind, "code");
    await assert.rejects(http.getSnapshot(sha256Digest("never")), (err: Error) => err instanceof NotFoundError && /no snapshot sha256:/.test(err.message));
    assert.deepEqual(await http.getBlob(archiveDigest), archive);
    await assert.rejects(http.getBlob(sha256Digest("nope")), NotFoundError);
    const bad = await getJson<{ code: string }>(`${collector.httpUrl}/api/v1/snapshots/sha256:zz`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "BAD_INPUT");
  });

  void it("accepts a second run that names stored snapshots by digest only", async () => {
    const events = [
      startedEvent(BAD, { time: 1_714_608_000_000 }),
      capturedEvent(BAD, { environment: { body: badEnv }, host: { body: host, omitBody: true }, code: { body: code, omitBody: true } }, { time: 1_714_608_000_500 }),
      finishedEvent(BAD, { time: 1_714_608_030_000, exitCode: 1 }),
    ];
    const { acks, error } = await publish(client, events);
    assert.equal(error, undefined);
    assert.deepEqual(
      acks.map((a) => a.outcome),
      ["STORED", "STORED", "STORED"],
    );
  });

  void it("lists runs over HTTP, newest first, with filters", async () => {
    const all = await getJson<{ runs: RunSummary[] }>(`${collector.httpUrl}/api/v1/runs`);
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.runs.map((r) => r.runId),
      [BAD, GOOD],
    );
    const [bad, good] = all.body.runs;
    assert.equal(bad?.status, "failed");
    assert.equal(good?.status, "succeeded");
    assert.equal(good?.gitCommit, code.git?.commit);
    assert.equal(good?.hostname, "gpu-node-01");
    const q = (params: string) => getJson<{ runs: RunSummary[] }>(`${collector.httpUrl}/api/v1/runs?${params}`).then((r) => r.body.runs.map((x) => x.runId));
    assert.deepEqual(await q("status=succeeded"), [GOOD]);
    assert.deepEqual(await q("package=Pydantic&version=" + encodeURIComponent(">=2,<3")), [BAD]);
    assert.deepEqual(await q("package=pydantic&version=" + encodeURIComponent("~=1.10")), [GOOD]);
    assert.deepEqual(await q("package=langchain"), [BAD]);
    assert.deepEqual(await q("pipeline=nightly_train&step=train&limit=1"), [BAD]);
    assert.deepEqual(await q("pipeline=other"), []);
  });

  void it("gets a run by its url-encoded id (':' and '/' round-trip) and by a unique prefix", async () => {
    const exact = await getJson<RunDetail>(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(GOOD)}`);
    assert.equal(exact.status, 200);
    assert.equal(exact.body.runId, GOOD);
    assert.deepEqual(exact.body.environment, goodEnv);
    assert.deepEqual(exact.body.host, host);
    assert.equal(exact.body.code?.archiveDigest, archiveDigest);
    assert.deepEqual(
      exact.body.events.map((e) => e.type),
      ["runStarted", "snapshotCaptured", "runFinished"],
    );
    const prefix = await getJson<RunDetail>(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent("airflow:nightly_train/scheduled__2024-05-02")}`);
    assert.equal(prefix.status, 200);
    assert.equal(prefix.body.runId, BAD);
    const ambiguous = await getJson<{ message: string; code: string; candidates: string[] }>(
      `${collector.httpUrl}/api/v1/runs/${encodeURIComponent("airflow:nightly_train/")}`,
    );
    assert.equal(ambiguous.status, 409);
    assert.equal(ambiguous.body.code, "AMBIGUOUS");
    assert.deepEqual(ambiguous.body.candidates, [GOOD, BAD]);
    const none = await getJson<{ message: string; code: string }>(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent("slurm:nope/1")}`);
    assert.equal(none.status, 404);
    assert.deepEqual(none.body, { code: "NOT_FOUND", message: 'no run matches run "slurm:nope/1"' });
  });

  void it("round-trips run ids with any characters through encodeURIComponent", async () => {
    const ids = ["slurm:cluster a/job 42.1", "kfp:run%2F7/task?x=1#frag", "local:é/日本/+&=;,", "x".repeat(500)];
    const { acks } = await publish(client, ids.map((id, i) => startedEvent(id, { eventId: `odd-${i}` })));
    assert.deepEqual(acks.map((a) => a.outcome), ids.map(() => "STORED"));
    for (const id of ids) {
      const res = await getJson<RunDetail>(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(id)}`);
      assert.equal(res.status, 200, `${id}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.runId, id);
    }
  });

  void it("diffs two runs over HTTP", async () => {
    const res = await getJson<RunDiff>(`${collector.httpUrl}/api/v1/diff?a=${encodeURIComponent(GOOD)}&b=${encodeURIComponent(BAD)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.a.runId, GOOD);
    assert.equal(res.body.b.runId, BAD);
    assert.equal(res.body.identical, false);
    const pydantic = res.body.packages.changed.find((c) => c.name === "pydantic");
    assert.equal(pydantic?.from, "1.10.13");
    assert.equal(pydantic?.to, "2.7.1");
    assert.deepEqual(
      res.body.packages.added.map((p) => p.name),
      ["langchain"],
    );
    const missing = await getJson<{ code: string; message: string }>(`${collector.httpUrl}/api/v1/diff?a=${encodeURIComponent(GOOD)}&b=nope`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /b "nope"/);
  });
  void it("answers which runs produced a file and cache hits only when every output blob is stored", async () => {
    const key = sha256Digest("a cache key");
    const model = Buffer.from("model weights\n".repeat(100));
    const metrics = Buffer.from('{"loss": 0.1}');
    const outputs = [
      { path: "out/metrics.json", digest: sha256Digest(metrics), size: metrics.length, mode: 0o644, stored: true },
      { path: "out/model.bin", digest: sha256Digest(model), size: model.length, mode: 0o600, stored: true },
    ];
    const source = "local:h/cache-source";
    const { acks } = await publish(client, [startedEvent(source, { cacheKey: key, time: 1_714_700_000_000 }), finishedEvent(source, { outputs, time: 1_714_700_001_000 })]);
    assert.deepEqual(acks.map((a) => a.outcome), ["STORED", "STORED"]);
    await putBlob(client, outputs[0]!.digest, metrics);

    const http = new CollectorHttpClient(collector.httpUrl);
    const producers = await http.findOutputProducers(outputs[1]!.digest);
    assert.deepEqual(producers.map((p) => [p.run.runId, p.path, p.size]), [[source, "out/model.bin", model.length]]);
    assert.deepEqual(await http.findOutputProducers(sha256Digest("nobody")), []);
    const badDigest = await getJson<{ code: string; message: string }>(`${collector.httpUrl}/api/v1/outputs/sha256:zz`);
    assert.equal(badDigest.status, 400);
    assert.match(badDigest.body.message, /invalid digest/);

    // model.bin's blob is not stored yet: no hit, and the collector says why.
    const miss = await getJson<{ code: string; message: string }>(`${collector.httpUrl}/api/v1/cache/${key}`);
    assert.equal(miss.status, 404);
    assert.match(miss.body.message, new RegExp(`outputs of ${source} are no longer all in the blob store`));
    assert.equal(await http.getCacheHit(key), undefined);
    await putBlob(client, outputs[1]!.digest, model);
    const hit = await http.getCacheHit(key);
    assert.equal(hit?.run.runId, source);
    assert.equal(hit.run.cacheKey, key);
    assert.deepEqual(hit.outputs, outputs);
    assert.equal(await http.getCacheHit(sha256Digest("another key")), undefined);
    const badKey = await getJson<{ code: string; message: string }>(`${collector.httpUrl}/api/v1/cache/nope`);
    assert.equal(badKey.status, 400);
    assert.match(badKey.body.message, /invalid key "nope"/);

    // Malformed outputs are REJECTED with the reason, and nothing of them is kept.
    const { acks: rejected } = await publish(client, [finishedEvent("local:h/bad-outputs", { outputs: [outputs[0]!, outputs[0]!] })]);
    assert.equal(rejected[0]?.outcome, "REJECTED");
    assert.match(rejected[0]?.error ?? "", /output 1 \("out\/metrics.json"\) is listed twice/);
    await assert.rejects(http.getRun("local:h/bad-outputs"), NotFoundError);
  });
});
