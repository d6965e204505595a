// The collector's resubmitter (cli/ builds it from the collector's --resubmit-* settings with the
// same factory as `snaptrail resubmit`): what it may submit, the CLI flags that do the same, and
// dry runs by the real adapters. Nothing here submits.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { collectorResubmitter } from "../../cli/collector-resubmitter.js";
import { parseCollectorOptions } from "../../collector/collector-options.js";
import type { RunDetail } from "../../core/api-types.js";

const localRun = {
  runId: "local:demo/1",
  orchestrator: "LOCAL",
  config: { argv: ["python", "train.py", "--lr", "0.1"], cwd: "/nonexistent/work", parameters: {}, script: "" },
} as unknown as RunDetail;

describe("the collector's resubmitter", () => {
  it("submits Slurm runs only with a transport, naming the settings otherwise; never local runs", () => {
    const none = collectorResubmitter(parseCollectorOptions({ dbPath: "/tmp/x.db" }));
    assert.deepEqual(none.kinds, []);
    assert.equal(none.cannotSubmit("SLURM")?.code, "NOT_CONFIGURED");
    assert.match(none.cannotSubmit("SLURM")?.message ?? "", /--resubmit-slurm-via ssh:\/\/USER@HOST\[:PORT\].*--resubmit-slurm-local/);
    assert.equal(none.cannotSubmit("LOCAL")?.code, "NOT_SUPPORTED");

    const ssh = collectorResubmitter(
      parseCollectorOptions({ dbPath: "/tmp/x.db", resubmitSlurmVia: "ssh://ops@login:2222", resubmitSshIdentity: "/etc/snaptrail/key", resubmitSshKnownHosts: "/etc/snaptrail/known_hosts" }),
    );
    assert.deepEqual(ssh.kinds, ["SLURM"]);
    assert.equal(ssh.cannotSubmit("SLURM"), undefined);
    assert.deepEqual(ssh.cliFlags("SLURM"), ["--via", "ssh://ops@login:2222", "--identity", "/etc/snaptrail/key", "--known-hosts", "/etc/snaptrail/known_hosts"]);
    assert.deepEqual(ssh.cliFlags("LOCAL"), []);
    assert.deepEqual(collectorResubmitter(parseCollectorOptions({ dbPath: "/tmp/x.db", resubmitSlurmLocal: true })).cliFlags("SLURM"), ["--local"]);
  });

  it("dry-runs a local run with the local adapter: the wrap --restore line, nothing run", async () => {
    const r = await collectorResubmitter(parseCollectorOptions({ dbPath: "/tmp/x.db" })).resubmit(localRun, true, "http://127.0.0.1:8077");
    assert.ok(r.ok, r.ok ? "" : r.error.message);
    assert.equal(r.value.detail, "dry run: nothing run");
    assert.match(r.value.commands[0] ?? "", / wrap --restore local:demo\/1 --collector-http http:\/\/127\.0\.0\.1:8077 -- python train\.py --lr 0\.1$/);
  });

  it("answers a Slurm run's dry run without a transport as the CLI does: a setting to give", async () => {
    const r = await collectorResubmitter(parseCollectorOptions({ dbPath: "/tmp/x.db" })).resubmit({ ...localRun, runId: "slurm:c/1", orchestrator: "SLURM" }, true, "http://127.0.0.1:8077");
    assert.equal(r.ok, false);
    assert.match(r.ok ? "" : r.error.message, /say where to submit it/);
  });

  it("submits Airflow and Kubeflow runs with their own settings, naming them when absent, and shows flags, never secrets", async () => {
    const none = collectorResubmitter(parseCollectorOptions({ dbPath: "/tmp/x.db" }));
    assert.equal(none.cannotSubmit("AIRFLOW")?.code, "NOT_CONFIGURED");
    assert.match(none.cannotSubmit("AIRFLOW")?.message ?? "", /no Airflow credentials: start it with --resubmit-airflow URL with --resubmit-airflow-user and --resubmit-airflow-password-file/);
    assert.match(none.cannotSubmit("KUBEFLOW")?.message ?? "", /no Kubeflow Pipelines credentials: start it with --resubmit-kfp URL with --resubmit-kfp-token-file/);
    assert.throws(() => parseCollectorOptions({ dbPath: "/tmp/x.db", resubmitKfp: "http://127.0.0.1:8888" }), /resubmitKfp: it needs resubmitKfpTokenFile/);
    assert.throws(() => parseCollectorOptions({ dbPath: "/tmp/x.db", resubmitAirflow: "http://127.0.0.1:8080" }), /resubmitAirflow: it needs resubmitAirflowPasswordFile/);

    const dir = mkdtempSync(join(tmpdir(), "snaptrail-collector-resubmitter-"));
    try {
      const passwordFile = join(dir, "airflow-password");
      writeFileSync(passwordFile, "s3cret-airflow\n");
      const both = collectorResubmitter(
        parseCollectorOptions({
          dbPath: "/tmp/x.db",
          resubmitAirflow: "http://127.0.0.1:8080",
          resubmitAirflowUser: "ops",
          resubmitAirflowPasswordFile: passwordFile,
          resubmitKfp: "http://127.0.0.1:8888",
          resubmitKfpTokenFile: join(dir, "missing-token"),
        }),
      );
      assert.deepEqual(both.kinds, ["AIRFLOW", "KUBEFLOW"]);
      assert.equal(both.cannotSubmit("AIRFLOW"), undefined);
      assert.equal(both.cannotSubmit("KUBEFLOW"), undefined);
      assert.deepEqual(both.cliFlags("AIRFLOW"), ["--airflow", "http://127.0.0.1:8080", "--airflow-user", "ops", "--airflow-password-file", passwordFile]);
      assert.deepEqual(both.cliFlags("KUBEFLOW"), ["--kfp", "http://127.0.0.1:8888", "--kfp-token-file", join(dir, "missing-token")]);

      // The Airflow adapter's dry run, with the collector's settings: nothing sent, the password hidden.
      const airflowRun = {
        ...localRun,
        runId: "airflow:etl/manual__1/train/1",
        orchestrator: "AIRFLOW",
        pipeline: "etl",
        pipelineRun: "manual__1",
        step: "train",
        orchestratorContext: { kind: "AIRFLOW", pipeline: "etl", pipelineRun: "manual__1", step: "train", attempt: 1, attributes: {} },
      } as unknown as RunDetail;
      const dry = await both.resubmit(airflowRun, true, "http://127.0.0.1:8077");
      assert.ok(dry.ok, dry.ok ? "" : dry.error.message);
      assert.match(dry.value.detail, /dry run: nothing sent to Airflow at http:\/\/127\.0\.0\.1:8080/);
      assert.ok(!JSON.stringify(dry.value).includes("s3cret-airflow"), "the password never appears");

      // A token file that cannot be read is a clear error naming the setting, not a crash.
      const kfpRun = { ...localRun, runId: "kfp:r1/train", orchestrator: "KUBEFLOW" } as unknown as RunDetail;
      const failed = await both.resubmit(kfpRun, true, "http://127.0.0.1:8077");
      assert.equal(failed.ok, false);
      assert.match(failed.ok ? "" : failed.error.message, /cannot read resubmitKfpTokenFile .*missing-token/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
