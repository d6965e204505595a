import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveAgentOptions } from "../../agent/agent-options.js";
import { parsePins, pinFor } from "../../agent/restore/parse-pins.js";
import { restoreRefFor } from "../../agent/wrap/restore-for-wrap.js";
import { SnaptrailError } from "../../core/errors.js";

const AIRFLOW_TRAIN = { AIRFLOW_CTX_DAG_ID: "nightly", AIRFLOW_CTX_DAG_RUN_ID: "scheduled__2026-11-26", AIRFLOW_CTX_TASK_ID: "train", AIRFLOW_CTX_TRY_NUMBER: "1" };
const AIRFLOW_EVAL = { ...AIRFLOW_TRAIN, AIRFLOW_CTX_TASK_ID: "eval" };

void describe("SNAPTRAIL_PIN", () => {
  void it("reads a JSON object and the step=ref list alike", () => {
    const json = parsePins('{"train": "airflow:nightly/r1/train/1", "nightly/eval": "sha256:' + "a".repeat(64) + '"}');
    const list = parsePins(`train=airflow:nightly/r1/train/1, nightly/eval=sha256:${"a".repeat(64)}`);
    assert.deepEqual([...json], [...list]);
    assert.equal(json.size, 2);
  });

  void it("pins only the named step; pipeline/step wins over the bare step", () => {
    const pins = parsePins("train=run-old,nightly/train=run-older");
    assert.equal(pinFor(pins, "nightly", "train"), "run-older");
    assert.equal(pinFor(pins, "other", "train"), "run-old");
    assert.equal(pinFor(pins, "nightly", "eval"), undefined);
    assert.equal(pinFor(pins, "nightly", ""), undefined);
  });

  void it("names the problem in bad text instead of silently running current code", () => {
    const bad: [string, RegExp][] = [
      ["{not json", /not valid JSON/],
      ['["train"]', /must be a JSON object/],
      ['{"train": 3}', /"train" must map to a run id/],
      ["train", /"train" is not STEP=RUN_OR_SNAPSHOT/],
      ["train=", /not STEP=RUN_OR_SNAPSHOT/],
      ["=run", /not STEP=RUN_OR_SNAPSHOT/],
      ["train=a,train=b", /pinned twice/],
    ];
    for (const [text, message] of bad) {
      assert.throws(() => parsePins(text), (err: Error) => err instanceof SnaptrailError && err.code === "BAD_CONFIG" && message.test(err.message), text);
    }
    assert.equal(parsePins("").size, 0);
    assert.equal(parsePins(undefined).size, 0);
  });

  void it("picks the wrapped step's pin from the orchestrator's own ids; --restore wins over pins", () => {
    const options = (env: NodeJS.ProcessEnv) => resolveAgentOptions({ flags: {}, env });
    const env = { ...AIRFLOW_TRAIN, SNAPTRAIL_PIN: '{"train": "airflow:nightly/old/train/1"}' };
    assert.equal(restoreRefFor(options(env), ["python", "train.py"], "/work", env), "airflow:nightly/old/train/1");
    const evalEnv = { ...AIRFLOW_EVAL, SNAPTRAIL_PIN: env.SNAPTRAIL_PIN };
    assert.equal(restoreRefFor(options(evalEnv), ["python", "eval.py"], "/work", evalEnv), undefined);
    const both = { ...env, SNAPTRAIL_RESTORE: "run-explicit" };
    assert.equal(restoreRefFor(options(both), ["python", "train.py"], "/work", both), "run-explicit");
    const local = { SNAPTRAIL_STEP: "prep", SNAPTRAIL_PIN: "prep=run-1" };
    assert.equal(restoreRefFor(options(local), ["./prep.sh"], "/work", local), "run-1");
  });

  void it("takes pins from a config file as an object", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = await mkdtemp(path.join(tmpdir(), "snaptrail-pins-"));
    const file = path.join(dir, "agent.json");
    await writeFile(file, JSON.stringify({ pin: { train: "run-from-file" } }));
    const options = resolveAgentOptions({ flags: {}, env: {}, file });
    assert.equal(restoreRefFor(options, ["python", "train.py"], "/work", AIRFLOW_TRAIN), "run-from-file");
  });
});
