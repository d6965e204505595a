import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelay, type BackoffPolicy } from "../../core/backoff.js";

const doubling: BackoffPolicy = { initialMs: 100, maxMs: 1000, multiplier: 2, jitter: "none" };

void describe("backoffDelay", () => {
  void it("grows by the multiplier from initialMs and stops at maxMs", () => {
    const waits = [0, 1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(doubling, attempt));
    assert.deepEqual(waits, [100, 200, 400, 800, 1000, 1000, 1000]);
    assert.deepEqual(
      [0, 1, 2].map((attempt) => backoffDelay({ ...doubling, multiplier: 3 }, attempt)),
      [100, 300, 900],
    );
  });

  void it("with full jitter waits the random share of that ceiling", () => {
    const jittered: BackoffPolicy = { ...doubling, jitter: "full" };
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((attempt) => backoffDelay(jittered, attempt, () => 0.5)),
      [50, 100, 200, 400, 500],
    );
    assert.equal(backoffDelay(jittered, 3, () => 0), 0);
    assert.equal(backoffDelay(jittered, 30, () => 0.999), 999);
  });

  void it("without jitter never asks for a random number", () => {
    assert.equal(
      backoffDelay(doubling, 2, () => assert.fail("random called for a policy without jitter")),
      400,
    );
  });

  void it("stays finite and at maxMs however many attempts failed", () => {
    for (const attempt of [64, 1000, Number.MAX_SAFE_INTEGER, Infinity]) {
      assert.equal(backoffDelay(doubling, attempt), 1000);
    }
  });
});
