import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { collectEnvVars, envNameMatcher } from "../../agent/env/collect-env-vars.js";
import { redactionMarker } from "../../agent/env/redact.js";

const SALT = "s";

void describe("collectEnvVars", () => {
  const env: NodeJS.ProcessEnv = {
    PATH: "/usr/bin:/bin",
    PYTHONHASHSEED: "0",
    LD_LIBRARY_PATH: "/usr/local/cuda/lib64",
    NCCL_DEBUG: "INFO",
    NCCL_IB_DISABLE: "1",
    TORCH_CUDA_ARCH_LIST: "8.0;9.0",
    HF_HOME: "/data/hf",
    HF_TOKEN: "hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh",
    TOKENIZERS_PARALLELISM: "false",
    PIP_INDEX_URL: "https://ci:s3cret@pkgs.example/simple",
    SNAPTRAIL_COLLECTOR: "collector:50051",
    SNAPTRAIL_TOKEN: "abc",
    SNAPTRAIL_RUN_ID: "run-1",
    SNAPTRAIL_REDACT_SALT: "salty",
    // Per-job values that must never be recorded in the environment snapshot.
    SLURM_JOB_ID: "123",
    CUDA_VISIBLE_DEVICES: "0,1",
    AIRFLOW_CTX_DAG_ID: "nightly",
    RANK: "0",
    HOME: "/root",
    MY_FLAG: "x",
    OTHER_SECRET: "y",
  };

  void it("keeps the allow-list, redacts secrets, sorts by name", () => {
    const vars = collectEnvVars(env, [], SALT);
    assert.deepEqual(
      vars.map((v) => v.name),
      [
        "HF_HOME",
        "HF_TOKEN",
        "LD_LIBRARY_PATH",
        "NCCL_DEBUG",
        "NCCL_IB_DISABLE",
        "PATH",
        "PIP_INDEX_URL",
        "PYTHONHASHSEED",
        "SNAPTRAIL_COLLECTOR",
        "TOKENIZERS_PARALLELISM",
        "TORCH_CUDA_ARCH_LIST",
      ],
    );
    const byName = new Map(vars.map((v) => [v.name, v]));
    assert.deepEqual(byName.get("HF_TOKEN"), { name: "HF_TOKEN", value: redactionMarker(env.HF_TOKEN ?? "", SALT), redacted: true });
    assert.deepEqual(byName.get("TOKENIZERS_PARALLELISM"), { name: "TOKENIZERS_PARALLELISM", value: "false", redacted: false });
    assert.equal(byName.get("PIP_INDEX_URL")?.value, `https://ci:${redactionMarker("s3cret", SALT)}@pkgs.example/simple`);
    assert.equal(byName.get("PIP_INDEX_URL")?.redacted, true);
  });

  void it("adds names and globs from envAllow, still redacting", () => {
    const vars = collectEnvVars(env, ["MY_FLAG", "OTHER_*"], SALT);
    const byName = new Map(vars.map((v) => [v.name, v]));
    assert.equal(byName.get("MY_FLAG")?.value, "x");
    assert.equal(byName.get("OTHER_SECRET")?.redacted, true);
  });

  void it("records per-job variables only when asked for explicitly", () => {
    const vars = collectEnvVars(env, ["CUDA_VISIBLE_DEVICES"], SALT);
    assert.ok(vars.some((v) => v.name === "CUDA_VISIBLE_DEVICES"));
    assert.ok(!vars.some((v) => v.name === "SLURM_JOB_ID"));
  });
});

void describe("envNameMatcher", () => {
  void it("matches names and * globs anywhere", () => {
    const m = envNameMatcher(["A", "NCCL_*", "*_HOME", " "]);
    assert.equal(m("A"), true);
    assert.equal(m("AB"), false);
    assert.equal(m("NCCL_X"), true);
    assert.equal(m("CUDA_HOME"), true);
    assert.equal(m("HOMEX"), false);
    assert.equal(m(""), false);
  });

  void it("treats regex characters in names literally", () => {
    const m = envNameMatcher(["A.B*"]);
    assert.equal(m("A.BC"), true);
    assert.equal(m("AXBC"), false);
  });
});
