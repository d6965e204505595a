import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { detectOrchestrator } from "../../agent/orchestrator/detect-orchestrator.js";
import { runIdFor } from "../../agent/orchestrator/run-id-for.js";
import { createVenv, runOrFail } from "../helpers/python-env.js";

// deploy/kubeflow/snaptrail_kfp.py compiled with the real KFP v2 SDK: the compiled pipeline must
// hand the component exactly the variables the agent reads, from where KFP puts them.
const DEPLOY = fileURLToPath(new URL("../../../deploy/kubeflow", import.meta.url));

const COMPILE = `
import json, sys, yaml
sys.path.insert(0, ${JSON.stringify(DEPLOY)})
from kfp import compiler, dsl
from snaptrail_kfp import with_snaptrail

@dsl.container_component
def train():
    return dsl.ContainerSpec(image="python:3.11", command=["snaptrail", "wrap", "--", "python", "train.py"])

@dsl.pipeline(name="nightly-train")
def pipeline():
    with_snaptrail(train(), pipeline_name="nightly-train", collector="collector.snaptrail:50051")

compiler.Compiler().compile(pipeline, sys.argv[1])
print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))
`;

interface Compiled {
  deploymentSpec?: { executors?: Record<string, { container?: { env?: { name: string; value: string }[] } }> };
  platforms?: { kubernetes?: { deploymentSpec?: { executors?: Record<string, { fieldPathAsEnv?: { name: string; fieldPath: string }[] }> } } };
}

describe("Kubeflow wrapper (deploy/kubeflow)", () => {
  let dir: string;
  let docs: Compiled[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-kfp-"));
    const python = await createVenv(join(dir, "venv"), ["kfp>=2,<3", "kfp-kubernetes>=2,<3"]);
    docs = JSON.parse(await runOrFail(python, ["-c", COMPILE, join(dir, "pipeline.yaml")])) as Compiled[];
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("passes the run id label, names and collector to the component", () => {
    const executor = Object.values(docs[0]?.deploymentSpec?.executors ?? {})[0];
    const env = Object.fromEntries((executor?.container?.env ?? []).map((e) => [e.name, e.value]));
    assert.deepEqual(env, { KFP_PIPELINE_NAME: "nightly-train", KFP_TASK_NAME: "train", SNAPTRAIL_COLLECTOR: "collector.snaptrail:50051" });

    const platform = docs.find((d) => d.platforms)?.platforms?.kubernetes?.deploymentSpec?.executors ?? {};
    const fields = Object.fromEntries((Object.values(platform)[0]?.fieldPathAsEnv ?? []).map((f) => [f.name, f.fieldPath]));
    assert.deepEqual(fields, {
      KFP_RUN_ID: "metadata.labels['pipeline/runid']",
      KFP_RUN_NAME: "metadata.annotations['pipelines.kubeflow.org/run_name']",
      KFP_POD_NAME: "metadata.name",
      POD_NAME: "metadata.name",
      POD_NAMESPACE: "metadata.namespace",
    });
  });

  it("gives the agent a kfp run id from what the pod then sees", () => {
    const podEnv = {
      KFP_RUN_ID: "4f1c2a9e-7d3b-4a5e-9c1f-2b8d6e0a1c3d",
      KFP_RUN_NAME: "nightly-train 2026-11-26",
      KFP_POD_NAME: "nightly-train-x7k2p-system-container-impl-1234",
      POD_NAME: "nightly-train-x7k2p-system-container-impl-1234",
      POD_NAMESPACE: "kubeflow-user",
      KFP_PIPELINE_NAME: "nightly-train",
      KFP_TASK_NAME: "train",
    };
    const ctx = detectOrchestrator(podEnv, { argv: ["python", "train.py"], cwd: "/app", gitTop: null });
    assert.equal(ctx.kind, "KUBEFLOW");
    assert.equal(ctx.pipeline, "nightly-train");
    assert.equal(ctx.attributes.run_name, "nightly-train 2026-11-26");
    assert.equal(runIdFor(ctx, podEnv), "kfp:4f1c2a9e-7d3b-4a5e-9c1f-2b8d6e0a1c3d/train");
  });
});
