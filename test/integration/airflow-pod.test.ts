import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { deployValidators, REPO_ROOT } from "../helpers/deploy-validators.js";

// Pods cannot run here: what the policy makes of a KubernetesPodOperator's container (its command
// under the agent, Airflow's ids and the pins as env) is checked against the official Kubernetes
// schemas (kubernetes-validate, --strict: an unknown field fails).
const SRC = path.join(REPO_ROOT, "deploy", "airflow", "src");

void describe("snaptrail-airflow: a KubernetesPodOperator's pod under the agent", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "snaptrail-af-pod-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is a valid Pod for Kubernetes 1.30 with the agent in front of the command", async () => {
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(SRC)})
from snaptrail_airflow.commands import wrap_argv
from snaptrail_airflow.pod_env import pod_env
env = pod_env({"SNAPTRAIL_COLLECTOR": "collector.snaptrail:50051", "SNAPTRAIL_TOKEN": "never-passed", "HOME": "/root"})
pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "train"},
       "spec": {"restartPolicy": "Never", "containers": [{"name": "base", "image": "registry.invalid/train:1",
                "command": wrap_argv(["python", "train.py"]), "env": [{"name": k, "value": v} for k, v in env.items()]}]}}
print(json.dumps(pod))
`;
    const r = spawnSync("python3", ["-c", script], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const pod = JSON.parse(r.stdout) as { spec: { containers: { command: string[]; env: { name: string; value: string }[] }[] } };
    const container = pod.spec.containers[0];
    assert.deepEqual(container?.command, ["snaptrail", "wrap", "--", "python", "train.py"]);
    const names = container?.env.map((e) => e.name) ?? [];
    for (const n of ["AIRFLOW_CTX_DAG_ID", "AIRFLOW_CTX_DAG_RUN_ID", "AIRFLOW_CTX_TASK_ID", "AIRFLOW_CTX_TRY_NUMBER", "AIRFLOW_CTX_MAP_INDEX", "SNAPTRAIL_PIN", "SNAPTRAIL_COLLECTOR"]) assert.ok(names.includes(n), n);
    assert.ok(!names.includes("SNAPTRAIL_TOKEN"), "a secret never goes into the pod spec");
    const file = path.join(dir, "pod.yaml");
    writeFileSync(file, r.stdout);
    const validators = await deployValidators();
    const ok = await validators.kubernetes([file]);
    assert.equal(ok.code, 0, ok.output);
    // The validator does refuse a container field the schema does not have.
    const bad = JSON.parse(r.stdout) as { spec: { containers: Record<string, unknown>[] } };
    const c = bad.spec.containers[0] as Record<string, unknown>;
    c.commands = c.command;
    delete c.command;
    writeFileSync(file, JSON.stringify(bad));
    const refused = await validators.kubernetes([file]);
    assert.notEqual(refused.code, 0, refused.output);
    assert.match(refused.output, /commands/);
  });
});
