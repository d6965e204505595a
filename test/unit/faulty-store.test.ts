// The faulty-store helper the store-failure tests rely on: its faults must do what they say, or
// those tests would pass without testing anything.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openSqliteStore } from "../../collector/store/sqlite-store.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import { FaultyStore, diskFull } from "../helpers/faulty-store.js";

void describe("FaultyStore", () => {
  void it("fails a method N times with a new error each time, then is the real store again", async () => {
    const store = new FaultyStore(openSqliteStore(":memory:")).fail("append", () => diskFull(), { times: 2 });
    try {
      const first = await store.append([startedEvent("a")]).catch((e: unknown) => e);
      const second = await store.append([startedEvent("a")]).catch((e: unknown) => e);
      assert.equal((first as { code?: string }).code, "SQLITE_FULL");
      assert.notEqual(first, second);
      assert.deepEqual(await store.append([startedEvent("a")]), ["STORED"]);
      assert.equal(store.calls("append").length, 3);
      assert.notEqual(await store.inner.getRun("a"), undefined);
    } finally {
      await store.close();
    }
  });

  void it("fails only the calls the error function picks, and hangs calls until healed", async () => {
    const store = new FaultyStore(openSqliteStore(":memory:"));
    try {
      store.fail("append", (events) => (events.some((e) => e.runId === "bad") ? new Error("Cannot parse input") : undefined));
      await assert.rejects(store.append([startedEvent("bad")]), /Cannot parse input/);
      assert.deepEqual(await store.append([startedEvent("good")]), ["STORED"]);
      store.hang("append");
      const hung = store.append([startedEvent("stuck")]);
      store.heal();
      await assert.rejects(hung, /released/);
      assert.equal(await store.getRun("stuck"), undefined);
      assert.deepEqual(await store.append([startedEvent("stuck")]), ["STORED"]);
    } finally {
      await store.close();
    }
  });
});
