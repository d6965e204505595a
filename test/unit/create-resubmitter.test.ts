import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createResubmitter, type CreateResubmitterOptions } from "../../adapters/create-resubmitter.js";
import { SnaptrailError } from "../../core/errors.js";

const base = (o: Partial<CreateResubmitterOptions>): CreateResubmitterOptions => ({ kind: "SLURM", runId: "r1", snaptrail: ["snaptrail"], collectorHttp: "http://127.0.0.1:8077", env: {}, ...o });

const rejectsWith = async (o: Partial<CreateResubmitterOptions>, code: string, message: RegExp): Promise<void> => {
  await assert.rejects(createResubmitter(base(o)), (e: unknown) => e instanceof SnaptrailError && e.code === code && message.test(e.message));
};

void describe("the resubmitter factory", () => {
  void it("asks where a Kubeflow run goes, and what an Airflow run needs", async () => {
    await rejectsWith({ kind: "KUBEFLOW" }, "BAD_CONFIG", /is a Kubeflow run: say where it goes: --kfp URL .* or --kubernetes/);
    await rejectsWith({ kind: "AIRFLOW", runId: "airflow:d/r/t/1" }, "BAD_CONFIG", /airflow:d\/r\/t\/1 is an Airflow run: say where Airflow's API server is: --airflow/);
    await rejectsWith({ kind: "AIRFLOW", runId: "airflow:d/r/t/1", local: true }, "BAD_INPUT", /is an Airflow run: --local is for Slurm runs/);
    await rejectsWith({ kind: "AIRFLOW", airflow: { url: "ftp://x" } }, "BAD_CONFIG", /--airflow ftp:\/\/x must start with http/);
    const airflow = await createResubmitter(base({ kind: "AIRFLOW", env: { SNAPTRAIL_AIRFLOW_URL: "http://127.0.0.1:1" } }));
    assert.equal(airflow.kind, "AIRFLOW");
    await airflow.close();
  });

  void it("sends a Kubeflow run to KFP or a container run to Kubernetes, and refuses those flags for other runs", async () => {
    const kfp = await createResubmitter(base({ kind: "KUBEFLOW", kfp: "http://127.0.0.1:1", k8s: { kfpToken: "t" } }));
    assert.equal(kfp.constructor.name, "KfpResubmitter");
    const job = await createResubmitter(base({ kind: "LOCAL", kubernetes: true }));
    assert.equal(job.constructor.name, "KubernetesJobResubmitter");
    await Promise.all([kfp.close(), job.close()]);
    await rejectsWith({ kind: "KUBEFLOW", kfp: "http://127.0.0.1:1" }, "BAD_CONFIG", /KFP needs a bearer token/);
    await rejectsWith({ kind: "KUBEFLOW", kfp: "ftp://x" }, "BAD_CONFIG", /--kfp ftp:\/\/x must start with http/);
    await rejectsWith({ kind: "SLURM", kfp: "http://127.0.0.1:1" }, "BAD_INPUT", /is a SLURM run, not a Kubeflow Pipelines run: --kfp does not apply/);
    await rejectsWith({ kind: "SLURM", kubernetes: true }, "BAD_INPUT", /--kubernetes sends container runs/);
    await rejectsWith({ kind: "KUBEFLOW", kubernetes: true, kfp: "http://127.0.0.1:1" }, "BAD_CONFIG", /--kfp and --kubernetes exclude each other/);
  });

  void it("refuses a local run sent --via ssh or --rest, and a Slurm run without or with two transports", async () => {
    await rejectsWith({ kind: "LOCAL", via: "ssh://u@127.0.0.1" }, "BAD_INPUT", /is a local run, not a Slurm run/);
    await rejectsWith({ kind: "LOCAL", rest: "http://127.0.0.1:1" }, "BAD_INPUT", /is a local run, not a Slurm run/);
    await rejectsWith({}, "BAD_CONFIG", /say where to submit it/);
    await rejectsWith({ local: true, via: "ssh://u@127.0.0.1" }, "BAD_CONFIG", /--via and --local exclude each other/);
  });

  void it("picks the adapter from the kind and the transport", async () => {
    const local = await createResubmitter(base({ kind: "LOCAL" }));
    assert.equal(local.kind, "LOCAL");
    const sbatch = await createResubmitter(base({ local: true }));
    assert.equal(sbatch.kind, "SLURM");
    const rest = await createResubmitter(base({ rest: "http://127.0.0.1:1", restUser: "u", restToken: "t" }));
    assert.equal(rest.kind, "SLURM");
    await Promise.all([local.close(), sbatch.close(), rest.close()]);
    await rejectsWith({ rest: "http://127.0.0.1:1", restUser: "u", restToken: "" }, "BAD_CONFIG", /needs a JWT: set SLURM_JWT/);
  });
});
