import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { declaredParameters } from "../../adapters/kubeflow/kfp-resubmitter.js";
import { pinnedImage } from "../../adapters/kubernetes/build-rollback-job.js";

const D = `sha256:${"ab".repeat(32)}`;

void describe("Kubeflow / Kubernetes resubmit helpers", () => {
  void it("pins an image reference to the recorded digest, dropping tag or old digest, keeping a registry port", () => {
    assert.equal(pinnedImage("ghcr.io/acme/train:2024-05", D), `ghcr.io/acme/train@${D}`);
    assert.equal(pinnedImage("ghcr.io/acme/train:2024-05@sha256:old", D), `ghcr.io/acme/train@${D}`);
    assert.equal(pinnedImage("localhost:5000/train", D), `localhost:5000/train@${D}`);
    assert.equal(pinnedImage("localhost:5000/train:v1", D), `localhost:5000/train@${D}`);
    assert.equal(pinnedImage("python", D), `python@${D}`);
  });

  void it("reads a pipeline's root parameters from a bare spec or one stored with its platform spec", () => {
    const spec = { root: { inputDefinitions: { parameters: { lr: { parameterType: "NUMBER_DOUBLE" }, snaptrail_pin: { parameterType: "STRING" } } } } };
    assert.deepEqual(declaredParameters(spec), ["lr", "snaptrail_pin"]);
    assert.deepEqual(declaredParameters({ pipeline_spec: spec, platform_spec: {} }), ["lr", "snaptrail_pin"]);
    assert.deepEqual(declaredParameters({ root: { dag: {} } }), []);
    assert.equal(declaredParameters(undefined), undefined);
  });
});
