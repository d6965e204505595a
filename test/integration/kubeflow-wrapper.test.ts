import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { detectOrchestrator } from "../../agent/orchestrator/detect-orchestrator.js";
import { runIdFor } from "../../agent/orchestrator/run-id-for.js";
import { kfpVenvPython } from "../helpers/kfp-venv.js";
import { runOrFail } from "../helpers/python-env.js";

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

@dsl.container_component
def evaluate(threshold: float):
    return dsl.ContainerSpec(image="python:3.11", command=["snaptrail", "wrap", "--", "python", "eval.py"], args=["--threshold", threshold])

# @dsl.pipeline builds the graph when it is defined: define only the one asked for, so the
# components are fresh (never through with_snaptrail) when with_snaptrail_all meets them.
if sys.argv[2] == "each":
    @dsl.pipeline(name="nightly-train")
    def pipeline(threshold: float = 0.9, snaptrail_pin: str = ""):
        t = with_snaptrail(train(), pipeline_name="nightly-train", collector="collector.snaptrail:50051", pin=snaptrail_pin)
        with_snaptrail(evaluate(threshold=threshold), pipeline_name="nightly-train", pin=snaptrail_pin).after(t)
else:
    from snaptrail_kfp import with_snaptrail_all

    @dsl.pipeline(name="nightly-train")
    def pipeline(threshold: float = 0.9, snaptrail_pin: str = ""):
        t = train()
        evaluate(threshold=threshold).after(t)
        with_snaptrail_all("nightly-train", pin=snaptrail_pin)

compiler.Compiler().compile(pipeline, sys.argv[1])
print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))
`;

interface Compiled {
  deploymentSpec?: { executors?: Record<string, { container?: { command?: string[]; args?: string[]; env?: { name: string; value: string }[] } }> };
  root?: {
    inputDefinitions?: { parameters?: Record<string, { parameterType?: string; defaultValue?: unknown }> };
    dag?: { tasks?: Record<string, { inputs?: { parameters?: Record<string, { componentInputParameter?: string }> } }> };
  };
  platforms?: { kubernetes?: { deploymentSpec?: { executors?: Record<string, { fieldPathAsEnv?: { name: string; fieldPath: string }[] }> } } };
}

describe("Kubeflow wrapper (deploy/kubeflow)", () => {
  let dir: string;
  let docs: Compiled[];
  let every: Compiled[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-kfp-"));
    const python = await kfpVenvPython();
    docs = JSON.parse(await runOrFail(python, ["-c", COMPILE, join(dir, "pipeline.yaml"), "each"])) as Compiled[];
    every = JSON.parse(await runOrFail(python, ["-c", COMPILE, join(dir, "every.yaml"), "every"])) as Compiled[];
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("passes the run id label, names and collector to the component", () => {
    const executor = docs[0]?.deploymentSpec?.executors?.["exec-train"];
    const env = Object.fromEntries((executor?.container?.env ?? []).map((e) => [e.name, e.value]));
    assert.deepEqual(env, { KFP_PIPELINE_NAME: "nightly-train", KFP_TASK_NAME: "train", SNAPTRAIL_COLLECTOR: "collector.snaptrail:50051" });

    const platform = docs.find((d) => d.platforms)?.platforms?.kubernetes?.deploymentSpec?.executors ?? {};
    const fields = Object.fromEntries((platform["exec-train"]?.fieldPathAsEnv ?? []).map((f) => [f.name, f.fieldPath]));
    assert.deepEqual(fields, {
      KFP_RUN_ID: "metadata.labels['pipeline/runid']",
      KFP_RUN_NAME: "metadata.annotations['pipelines.kubeflow.org/run_name']",
      ARGO_NODE_NAME: "metadata.annotations['workflows.argoproj.io/node-name']",
      KFP_POD_NAME: "metadata.name",
      POD_NAME: "metadata.name",
      POD_NAMESPACE: "metadata.namespace",
    });
  });

  it("adds the snaptrail_pin pipeline parameter and hands it to each wrapped component as SNAPTRAIL_PIN", () => {
    const root = docs[0]?.root;
    assert.deepEqual(root?.inputDefinitions?.parameters?.snaptrail_pin, { defaultValue: "", isOptional: true, parameterType: "STRING" });
    for (const task of ["train", "evaluate"]) {
      assert.deepEqual(root?.dag?.tasks?.[task]?.inputs?.parameters?.snaptrail_pin, { componentInputParameter: "snaptrail_pin" }, task);
    }
    const executors = docs[0]?.deploymentSpec?.executors ?? {};
    assert.deepEqual(executors["exec-train"]?.container?.command, ["env", "SNAPTRAIL_PIN={{$.inputs.parameters['snaptrail_pin']}}", "snaptrail", "wrap", "--", "python", "train.py"]);
    assert.deepEqual(executors["exec-evaluate"]?.container?.command?.slice(0, 3), ["env", "SNAPTRAIL_PIN={{$.inputs.parameters['snaptrail_pin']}}", "snaptrail"]);
    // The component's own inputs still reach it.
    assert.deepEqual(executors["exec-evaluate"]?.container?.args, ["--threshold", "{{$.inputs.parameters['threshold']}}"]);
  });

  it("with_snaptrail_all, one line at the end of a pipeline, does the same for every component", () => {
    const executors = every[0]?.deploymentSpec?.executors ?? {};
    assert.deepEqual(Object.keys(executors).sort(), ["exec-evaluate", "exec-train"]);
    for (const [name, e] of Object.entries(executors)) {
      assert.deepEqual(e.container?.command?.slice(0, 2), ["env", "SNAPTRAIL_PIN={{$.inputs.parameters['snaptrail_pin']}}"], name);
      assert.equal(e.container?.env?.find((v) => v.name === "KFP_TASK_NAME")?.value, name.replace(/^exec-/, ""));
    }
    const platform = every.find((d) => d.platforms)?.platforms?.kubernetes?.deploymentSpec?.executors ?? {};
    assert.deepEqual(Object.keys(platform).sort(), ["exec-evaluate", "exec-train"]);
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
