// The fold as the backstop of immutable runs: where two collectors raced and both stored a
// part, the run shows the one the collector received first, never the one claiming the
// earliest time (the sender controls time_unix_ms).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SnapshotEvent } from "../../core/model.js";
import { eventPayloads, foldRun, type StoredEvent } from "../../collector/store/run-fold.js";
import { capturedEvent, envSnapshot, finishedEvent, startedEvent } from "../helpers/collector-fixtures.js";

const stored = (event: SnapshotEvent, receivedUnixMs: number): StoredEvent => ({
  eventId: event.eventId,
  type: eventPayloads(event)[0]!,
  timeUnixMs: Number(event.timeUnixMs),
  receivedUnixMs,
  event,
});

void describe("foldRun: first received wins", () => {
  const T = 1_714_000_000_000;
  const rewrite = startedEvent("r", { eventId: "rewrite", time: T - 1000, hostname: "attacker" });
  rewrite.runStarted!.config!.argv = ["sh", "-c", "evil"];
  const events = [
    stored(startedEvent("r", { time: T }), 100),
    stored(finishedEvent("r", { eventId: "ok", time: T + 60_000, exitCode: 0 }), 101),
    // Received later, claiming earlier times.
    stored(finishedEvent("r", { eventId: "bad", time: T + 1, exitCode: 1 }), 102),
    stored(rewrite, 103),
  ];

  void it("keeps the start and finish received first, in any order of the list", () => {
    for (const list of [events, [...events].reverse()]) {
      const run = foldRun("r", list);
      assert.equal(run.status, "succeeded");
      assert.equal(run.exitCode, 0);
      assert.equal(run.hostname, "gpu-node-01");
      assert.deepEqual(run.config?.argv, ["python", "train.py", "--lr", "0.1"]);
      assert.equal(run.startedUnixMs, T);
      assert.equal(run.finishedUnixMs, T + 60_000);
    }
  });

  void it("leaves out a capture that contradicts a held kind, whole, and keeps additions and warnings", () => {
    const env1 = { body: envSnapshot({ numpy: "1.26.4" }) };
    const env2 = { body: envSnapshot({ numpy: "2.0.0" }) };
    const run = foldRun("r", [
      stored(capturedEvent("r", { environment: env2 }, { eventId: "second", warnings: [{ source: "b", message: "two" }] }), 20),
      stored(capturedEvent("r", { environment: env1 }, { eventId: "first", time: T + 999, warnings: [{ source: "a", message: "one" }] }), 10),
      stored(capturedEvent("r", { environment: { ...env1, omitBody: true } }, { eventId: "third", warnings: [{ source: "c", message: "three" }] }), 30),
    ]);
    assert.equal(run.environmentDigest, capturedEvent("r", { environment: env1 }).snapshotCaptured?.environmentDigest);
    assert.deepEqual(run.warnings.map((w) => w.message), ["one", "three"]);
  });
});
