// `snaptrail collector dead-letters`: what the dead-letter stream holds, by reason, and a replay
// that sends fixable ones back once the cause is gone. Real nats-server, real collectors, the CLI.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { eventSubject } from "../../core/nats-names.js";
import { encodeEvent } from "../../proto/event-codec.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import { startCollectorProcess } from "../helpers/collector-process.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { connectNats, publishBytes, readDeadLetters, storedEventIds, waitFor } from "../helpers/nats-test-client.js";
import { runCli } from "../helpers/run-cli.js";

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

interface Listing {
  entries: { reason: string; originalSubject: string }[];
  groups: { kind: string; count: number; example: string }[];
}

void describe("collector dead-letters", () => {
  void it("lists dead letters by reason, and --replay sends the fixable ones back to be stored", async () => {
    const server = await startNatsServer();
    cleanups.push(() => server.destroy());
    const db = join(mkdtempSync(join(tmpdir(), "snaptrail-dead-letters-")), "snaptrail.db");
    // A collector whose message limit is too small for these events: each one is dead-lettered.
    const strict = await startCollectorProcess({ db, args: ["--nats", server.url, "--max-message-bytes", "64"], env: { SNAPTRAIL_LOG_LEVEL: "warn" } });
    cleanups.push(() => strict.kill());
    const nc = await connectNats(server.url);
    cleanups.push(() => nc.close());
    const events = ["dl-1", "dl-2", "dl-3"].map((id) => startedEvent(`local:dead-letters/${id}`, { eventId: id }));
    for (const e of events) await publishBytes(nc, eventSubject(e.runId), encodeEvent(e), e.eventId);
    await publishBytes(nc, "snaptrail.events.local", Buffer.from([0xff, 0xff, 0xff]), "garbage");
    await waitFor("four dead letters", async () => (await readDeadLetters(nc)).length === 4);
    await strict.stop();

    const list = await runCli(["collector", "dead-letters", "--nats", server.url, "--json"]);
    assert.equal(list.code, 0, list.stderr);
    const listing = JSON.parse(list.stdout.toString()) as Listing;
    assert.deepEqual(
      listing.groups.map((g) => [g.kind, g.count]),
      [
        ["too large", 3],
        ["undecodable", 1],
      ],
    );
    assert.match(listing.groups[0]!.example, /over the collector's limit of 64 \(maxMessageBytes\)/);
    const text = await runCli(["collector", "dead-letters", "--nats", server.url]);
    assert.match(text.stdout.toString(), /^4 dead letters in SNAPTRAIL_DEADLETTER\n\s+3 {2}too large/);

    // The cause fixed (the default limit), replay only what was too large.
    const fixed = await startCollectorProcess({ db, args: ["--nats", server.url], env: { SNAPTRAIL_LOG_LEVEL: "warn" } });
    cleanups.push(() => fixed.kill());
    const replay = await runCli(["collector", "dead-letters", "--nats", server.url, "--reason", "^too large", "--replay", "--json"]);
    assert.equal(replay.code, 0, replay.stderr);
    assert.deepEqual(JSON.parse(replay.stdout.toString()), { replayed: 3, skipped: 0 });
    await waitFor("the replayed events stored", () => storedEventIds(db).length === 3);
    assert.deepEqual(storedEventIds(db).sort(), ["dl-1", "dl-2", "dl-3"]);
    const left = JSON.parse((await runCli(["collector", "dead-letters", "--nats", server.url, "--json"])).stdout.toString()) as Listing;
    assert.deepEqual(
      left.groups.map((g) => [g.kind, g.count]),
      [["undecodable", 1]],
      "the undecodable one stays for a person",
    );
  });

  void it("names the problem when NATS is not there", async () => {
    const r = await runCli(["collector", "dead-letters", "--nats", "nats://127.0.0.1:1"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^snaptrail: cannot reach NATS at nats:\/\/127\.0\.0\.1:1/);
  });
});
