import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redactionMarker } from "../../agent/env/redact.js";
import { commandName, detectOrchestrator } from "../../agent/orchestrator/detect-orchestrator.js";
import { runConfigFor, slurmParameters } from "../../agent/orchestrator/run-config-for.js";
import { parentRunIdFor, runIdFor } from "../../agent/orchestrator/run-id-for.js";

const AIRFLOW: NodeJS.ProcessEnv = {
  AIRFLOW_CTX_DAG_ID: "nightly_train",
  AIRFLOW_CTX_TASK_ID: "fit_model",
  AIRFLOW_CTX_DAG_RUN_ID: "scheduled__2024-05-01T00:00:00+00:00",
  AIRFLOW_CTX_TRY_NUMBER: "2",
  AIRFLOW_CTX_EXECUTION_DATE: "2024-05-01T00:00:00+00:00",
  AIRFLOW_CTX_DAG_OWNER: "ml-team",
};

const SLURM: NodeJS.ProcessEnv = {
  SLURM_JOB_ID: "4242",
  SLURM_JOB_NAME: "pretrain",
  SLURM_CLUSTER_NAME: "hpc1",
  SLURM_JOB_PARTITION: "gpu",
  SLURM_JOB_NODELIST: "node[01-02]",
  SLURM_JOB_NUM_NODES: "2",
  SLURM_NTASKS: "16",
  SLURM_CPUS_PER_TASK: "8",
  SLURM_MEM_PER_NODE: "256000",
  SLURM_JOB_GPUS: "0,1",
  SLURM_GPUS_ON_NODE: "2",
  SLURM_RESTART_COUNT: "1",
};

void describe("detectOrchestrator", () => {
  void it("reads Airflow's task variables", () => {
    const ctx = detectOrchestrator(AIRFLOW);
    assert.deepEqual(ctx, {
      kind: "AIRFLOW",
      pipeline: "nightly_train",
      pipelineRun: "scheduled__2024-05-01T00:00:00+00:00",
      step: "fit_model",
      attempt: 2,
      attributes: { logical_date: "2024-05-01T00:00:00+00:00", dag_owner: "ml-team" },
    });
    assert.equal(detectOrchestrator({ ...AIRFLOW, AIRFLOW_CTX_LOGICAL_DATE: "2024-05-02" }).attributes.logical_date, "2024-05-02");
  });

  void it("reads Slurm's job variables", () => {
    const ctx = detectOrchestrator({ ...SLURM, SLURM_STEP_ID: "0" });
    assert.equal(ctx.kind, "SLURM");
    assert.equal(ctx.pipeline, "pretrain");
    assert.equal(ctx.pipelineRun, "4242");
    assert.equal(ctx.step, "0");
    assert.equal(ctx.attempt, 1);
    assert.equal(ctx.attributes.cluster, "hpc1");
    assert.equal(ctx.attributes.partition, "gpu");
    assert.equal(ctx.attributes.nodelist, "node[01-02]");
    assert.equal(ctx.attributes.gpus, "0,1");
  });

  void it("names a Slurm array task after its array job", () => {
    const ctx = detectOrchestrator({ ...SLURM, SLURM_JOB_ID: "5001", SLURM_ARRAY_JOB_ID: "5000", SLURM_ARRAY_TASK_ID: "3" });
    assert.equal(ctx.pipelineRun, "5000_3");
    assert.equal(ctx.attributes.job_id, "5001");
  });

  void it("prefers Slurm to Airflow ids inherited through sbatch, and keeps them as attributes", () => {
    const ctx = detectOrchestrator({ ...AIRFLOW, ...SLURM });
    assert.equal(ctx.kind, "SLURM");
    assert.equal(ctx.attributes.airflow_dag_id, "nightly_train");
    assert.equal(ctx.attributes.airflow_task_id, "fit_model");
  });

  void it("reads Kubeflow Pipelines ids, falling back to Argo's", () => {
    const kfp = detectOrchestrator({ KFP_RUN_ID: "run-abc", KFP_PIPELINE_NAME: "train-pipeline", KFP_TASK_NAME: "train", KFP_POD_NAME: "train-pod-1" });
    assert.deepEqual(kfp, {
      kind: "KUBEFLOW",
      pipeline: "train-pipeline",
      pipelineRun: "run-abc",
      step: "train",
      attempt: 0,
      attributes: { pod: "train-pod-1" },
    });
    const argo = detectOrchestrator({ ARGO_WORKFLOW_NAME: "wf-xyz", ARGO_POD_NAME: "wf-xyz-123", ARGO_TEMPLATE: '{"name":"preprocess","container":{}}' });
    assert.equal(argo.pipelineRun, "wf-xyz");
    assert.equal(argo.step, "preprocess");
    assert.equal(detectOrchestrator({ ARGO_WORKFLOW_NAME: "wf", ARGO_POD_NAME: "wf-1", ARGO_TEMPLATE: "not json" }).step, "wf-1");
  });

  void it("names a local run after the work tree and the command", () => {
    const ctx = detectOrchestrator({}, { argv: ["python", "-u", "scripts/train.py", "--lr", "1"], cwd: "/home/a/proj/sub", gitTop: "/home/a/proj" });
    assert.deepEqual(ctx, { kind: "LOCAL", pipeline: "proj", pipelineRun: "", step: "train.py", attempt: 0, attributes: {} });
    const named = detectOrchestrator({ SNAPTRAIL_PIPELINE: "p", SNAPTRAIL_STEP: "s" }, { argv: ["x"], cwd: "/tmp" });
    assert.equal(named.pipeline, "p");
    assert.equal(named.step, "s");
    assert.equal(detectOrchestrator({}, { argv: ["./run.sh"], cwd: "/data/exp" }).pipeline, "exp");
  });
});

void describe("commandName", () => {
  void it("names python commands after their script or module", () => {
    assert.equal(commandName(["python3", "train.py"]), "train.py");
    assert.equal(commandName(["/venv/bin/python", "-m", "torch.distributed.run", "x.py"]), "torch.distributed.run");
    assert.equal(commandName(["python", "-mpkg.main"]), "pkg.main");
    assert.equal(commandName(["python", "-X", "dev", "a/b.py"]), "b.py");
    assert.equal(commandName(["python", "-c", "print(1)"]), "python -c");
    assert.equal(commandName(["/usr/bin/bash", "run.sh"]), "bash");
    assert.equal(commandName([]), "");
  });
});

void describe("runIdFor", () => {
  const clock = { now: new Date(Date.UTC(2024, 4, 1, 12, 3, 4)), hostname: "node7", suffix: "a1b2c3" };

  void it("derives Airflow ids", () => {
    assert.equal(runIdFor(detectOrchestrator(AIRFLOW), AIRFLOW), "airflow:nightly_train/scheduled__2024-05-01T00:00:00+00:00/fit_model/2");
  });

  void it("derives Slurm ids with cluster, array task and step", () => {
    assert.equal(runIdFor(detectOrchestrator(SLURM), SLURM), "slurm:hpc1/4242+1");
    const noCluster = { ...SLURM, SLURM_CLUSTER_NAME: undefined, SLURM_STEP_ID: "1" };
    assert.equal(runIdFor(detectOrchestrator(noCluster), noCluster), "slurm:default/4242+1.1");
    const array = { ...SLURM, SLURM_ARRAY_JOB_ID: "4240", SLURM_ARRAY_TASK_ID: "2", SLURM_STEP_ID: "0" };
    assert.equal(runIdFor(detectOrchestrator(array), array), "slurm:hpc1/4240_2+1.0");
  });

  void it("gives each attempt its own id: Airflow try and map index, Slurm requeue, KFP retry", () => {
    assert.equal(runIdFor(detectOrchestrator({ ...AIRFLOW, AIRFLOW_CTX_MAP_INDEX: "3" }), AIRFLOW), "airflow:nightly_train/scheduled__2024-05-01T00:00:00+00:00/fit_model[3]/2");
    assert.equal(runIdFor(detectOrchestrator({ ...AIRFLOW, AIRFLOW_CTX_MAP_INDEX: "-1" }), AIRFLOW), "airflow:nightly_train/scheduled__2024-05-01T00:00:00+00:00/fit_model/2");
    const requeued = { ...SLURM, SLURM_RESTART_COUNT: "1", SLURM_STEP_ID: "0" };
    assert.equal(runIdFor(detectOrchestrator(requeued), requeued), "slurm:hpc1/4242+1.0");
    assert.notEqual(runIdFor(detectOrchestrator(requeued), requeued), runIdFor(detectOrchestrator({ ...requeued, SLURM_RESTART_COUNT: "0" }), requeued));
    const retried = { KFP_RUN_ID: "run-abc", KFP_TASK_NAME: "train", KFP_RETRY_COUNT: "2" };
    assert.equal(runIdFor(detectOrchestrator(retried), retried), "kfp:run-abc/train+2");
    // Argo's node name for a retry (the pod annotation deploy/kubeflow maps into ARGO_NODE_NAME).
    const argo = (node: string) => ({ KFP_RUN_ID: "run-abc", KFP_TASK_NAME: "train", ARGO_NODE_NAME: node });
    assert.equal(runIdFor(detectOrchestrator(argo("nightly-x7k2p.root.train.executor(1)")), {}), "kfp:run-abc/train+1");
    assert.equal(runIdFor(detectOrchestrator(argo("nightly-x7k2p.root.train.executor(0)")), {}), "kfp:run-abc/train");
    // A loop iteration, "(index:item)", is not an attempt.
    assert.equal(runIdFor(detectOrchestrator(argo("nightly-x7k2p.root.for-loop(2:shard-b)")), {}), "kfp:run-abc/train");
  });

  void it("names a Slurm step run's job run as its parent; other runs have none", () => {
    const step = { ...SLURM, SLURM_STEP_ID: "0" };
    assert.equal(runIdFor(detectOrchestrator(step), step), "slurm:hpc1/4242+1.0");
    assert.equal(parentRunIdFor(detectOrchestrator(step), step), "slurm:hpc1/4242+1");
    const array = { ...SLURM, SLURM_ARRAY_JOB_ID: "4240", SLURM_ARRAY_TASK_ID: "2", SLURM_STEP_ID: "3" };
    assert.equal(parentRunIdFor(detectOrchestrator(array), array), "slurm:hpc1/4240_2+1");
    assert.equal(parentRunIdFor(detectOrchestrator(SLURM), SLURM), "");
    assert.equal(parentRunIdFor(detectOrchestrator(AIRFLOW), AIRFLOW), "");
    const kfp = { KFP_RUN_ID: "run-abc", KFP_TASK_NAME: "train" };
    assert.equal(parentRunIdFor(detectOrchestrator(kfp), kfp), "");
  });

  void it("derives Kubeflow ids", () => {
    const env = { KFP_RUN_ID: "run-abc", KFP_TASK_NAME: "train" };
    assert.equal(runIdFor(detectOrchestrator(env), env), "kfp:run-abc/train");
  });

  void it("escapes / inside a part", () => {
    const env = { ...AIRFLOW, AIRFLOW_CTX_DAG_RUN_ID: "manual/odd%id" };
    assert.equal(runIdFor(detectOrchestrator(env), env), "airflow:nightly_train/manual%2Fodd%25id/fit_model/2");
  });

  void it("makes local ids from host, UTC time and random hex, or SNAPTRAIL_RUN_ID", () => {
    assert.equal(runIdFor(detectOrchestrator({}), {}, clock), "local:node7/20240501T120304-a1b2c3");
    assert.match(runIdFor(detectOrchestrator({}), {}), /^local:[^/]+\/\d{8}T\d{6}-[0-9a-f]{6}$/);
    assert.notEqual(runIdFor(detectOrchestrator({}), {}), runIdFor(detectOrchestrator({}), {}));
    assert.equal(runIdFor(detectOrchestrator({}), { SNAPTRAIL_RUN_ID: "mine-1" }, clock), "mine-1");
  });
});

void describe("runConfigFor", () => {
  void it("redacts the command line and keeps cwd", () => {
    const ctx = detectOrchestrator({});
    const cfg = runConfigFor(ctx, ["python", "t.py", "--token=abc"], "/w", {}, "salt");
    assert.deepEqual(cfg, { argv: ["python", "t.py", `--token=${redactionMarker("abc", "salt")}`], cwd: "/w", parameters: {}, script: "" });
  });

  void it("records Slurm resources as sbatch options", () => {
    assert.deepEqual(slurmParameters(SLURM), {
      partition: "gpu",
      nodes: "2",
      ntasks: "16",
      "cpus-per-task": "8",
      mem: "256000M",
      gres: "gpu:2",
      "job-name": "pretrain",
    });
    assert.equal(slurmParameters({ SLURM_JOB_GPUS: "0,1,2,3" }).gres, "gpu:4");
    assert.equal(slurmParameters({ SLURM_JOB_START_TIME: "1000", SLURM_JOB_END_TIME: "4600" })["time-limit"], "60");
    const ctx = detectOrchestrator(SLURM);
    assert.equal(runConfigFor(ctx, ["x"], "/w", SLURM, "salt").parameters.gres, "gpu:2");
    assert.deepEqual(runConfigFor(detectOrchestrator(AIRFLOW), ["x"], "/w", AIRFLOW, "salt").parameters, {});
  });
});
