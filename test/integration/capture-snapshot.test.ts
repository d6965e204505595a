import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { captureSnapshot } from "../../agent/capture/capture-snapshot.js";
import type { CaptureOptions } from "../../agent/capture/capture-types.js";
import { redactionMarker } from "../../agent/env/redact.js";
import { DIGEST_PATTERN } from "../../core/digest.js";
import { runOrFail } from "../helpers/python-env.js";

const GIT_ID = ["-c", "user.name=snaptrail-test", "-c", "user.email=test@snaptrail.invalid", "-c", "commit.gpgsign=false"];

void describe("captureSnapshot", () => {
  let root: string;
  let repo: string;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-capture-"));
    repo = path.join(root, "nightly-train");
    mkdirSync(repo);
    await runOrFail("git", ["init", "-q", "-b", "main", repo]);
    writeFileSync(path.join(repo, "train.py"), "print('train')\n");
    await runOrFail("git", ["-C", repo, "add", "."]);
    await runOrFail("git", ["-C", repo, ...GIT_ID, "commit", "-q", "-m", "first"]);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  const options = (over: Partial<CaptureOptions> = {}): CaptureOptions => ({
    argv: ["python3", "train.py", "--api-key", "k-123"],
    cwd: repo,
    env: { ...process.env, SNAPTRAIL_REDACT_SALT: "salt", HF_TOKEN: "hf_secret_value", NCCL_DEBUG: "WARN" },
    maxArchiveBytes: 10 * 1024 * 1024,
    ...over,
  });

  void it("captures every part with digests, a run id and a redacted command line", async () => {
    const r = await captureSnapshot(options());
    assert.deepEqual(r.warnings, []);
    assert.match(r.digests.environment, DIGEST_PATTERN);
    assert.match(r.digests.host, DIGEST_PATTERN);
    assert.match(r.digests.code ?? "", DIGEST_PATTERN);
    assert.ok(r.environment.interpreter?.version);
    assert.ok(r.environment.packages.length > 0);
    assert.ok(r.environment.os?.id);
    assert.ok(r.host.cpuCount > 0);
    assert.ok(r.host.memoryBytes > 0);
    assert.equal(r.host.hostname, os.hostname());
    assert.equal(r.code?.root, repo);
    assert.ok(r.archive);
    assert.equal(r.code?.archiveBytes, r.archive.length);
    assert.equal(r.orchestrator.kind, "LOCAL");
    assert.equal(r.orchestrator.pipeline, "nightly-train");
    assert.equal(r.orchestrator.step, "train.py");
    assert.match(r.runId, /^local:/);
    assert.deepEqual(r.config.argv, ["python3", "train.py", "--api-key", redactionMarker("k-123", "salt")]);
    assert.equal(r.config.cwd, repo);
    const env = new Map(r.environment.env.map((v) => [v.name, v]));
    assert.equal(env.get("HF_TOKEN")?.value, redactionMarker("hf_secret_value", "salt"));
    assert.equal(env.get("NCCL_DEBUG")?.value, "WARN");
    assert.ok(!env.has("SNAPTRAIL_REDACT_SALT"));
    assert.ok(r.captureMs >= 0);
  });

  void it("gives tasks of one Slurm job array the same environment, host and code digests", async () => {
    const task = (id: string, gpus: string) =>
      captureSnapshot(
        options({
          env: {
            ...process.env,
            SLURM_JOB_ID: `90${id}`,
            SLURM_ARRAY_JOB_ID: "9000",
            SLURM_ARRAY_TASK_ID: id,
            SLURM_CLUSTER_NAME: "hpc1",
            SLURM_JOB_PARTITION: "gpu",
            SLURM_GPUS_ON_NODE: "2",
            CUDA_VISIBLE_DEVICES: gpus,
            SLURM_JOB_NODELIST: `node0${id}`,
          },
        }),
      );
    const [a, b] = await Promise.all([task("1", "0,1"), task("2", "2,3")]);
    assert.equal(a.digests.environment, b.digests.environment);
    assert.equal(a.digests.host, b.digests.host);
    assert.equal(a.digests.code, b.digests.code);
    assert.equal(a.runId, "slurm:hpc1/9000_1");
    assert.equal(b.runId, "slurm:hpc1/9000_2");
    assert.equal(a.config.parameters.gres, "gpu:2");
    assert.equal(a.orchestrator.attributes.nodelist, "node01");
  });

  void it("derives the Airflow run id", async () => {
    const r = await captureSnapshot(
      options({
        env: { ...process.env, AIRFLOW_CTX_DAG_ID: "nightly", AIRFLOW_CTX_DAG_RUN_ID: "manual__1", AIRFLOW_CTX_TASK_ID: "fit", AIRFLOW_CTX_TRY_NUMBER: "3" },
      }),
    );
    assert.equal(r.runId, "airflow:nightly/manual__1/fit/3");
    assert.equal(r.orchestrator.kind, "AIRFLOW");
  });

  void it("never throws for a broken environment: no PATH, no such directory", async () => {
    const r = await captureSnapshot({ argv: ["python3", "x.py"], cwd: path.join(root, "missing"), env: {}, maxArchiveBytes: 1024 });
    assert.equal(r.code, null);
    assert.equal(r.digests.code, null);
    assert.deepEqual(r.environment.packages, []);
    assert.match(r.digests.environment, DIGEST_PATTERN);
    const sources = new Set(r.warnings.map((w) => w.source));
    assert.ok(sources.has("python"), JSON.stringify(r.warnings));
    assert.ok(sources.has("code"), JSON.stringify(r.warnings));
  });

  void it("never throws for an empty command and a bad archive limit", async () => {
    const r = await captureSnapshot({ argv: [], cwd: repo, env: process.env, maxArchiveBytes: Number.NaN });
    assert.equal(r.archive, null);
    assert.ok(r.warnings.some((w) => /maxArchiveBytes/.test(w.message)));
    assert.ok(r.code);
  });

  void it("captures code from codeDir when it is given", async () => {
    const r = await captureSnapshot(options({ cwd: root, codeDir: repo }));
    assert.equal(r.code?.root, repo);
    assert.equal(r.config.cwd, root);
  });
});
