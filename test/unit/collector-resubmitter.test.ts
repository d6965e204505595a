// The collector's resubmitter (cli/ builds it from the collector's --resubmit-* settings with the
// same factory as `snaptrail resubmit`): what it may submit, the CLI flags that do the same, and
// dry runs by the real adapters. Nothing here submits.
import assert from "node:assert/strict";
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
  it("submits Slurm runs only with a transport, naming the settings otherwise; never local or other runs", () => {
    const none = collectorResubmitter(parseCollectorOptions({ dbPath: "/tmp/x.db" }));
    assert.deepEqual(none.kinds, []);
    assert.equal(none.cannotSubmit("SLURM")?.code, "NOT_CONFIGURED");
    assert.match(none.cannotSubmit("SLURM")?.message ?? "", /--resubmit-slurm-via ssh:\/\/USER@HOST\[:PORT\].*--resubmit-slurm-local/);
    assert.equal(none.cannotSubmit("LOCAL")?.code, "NOT_SUPPORTED");
    assert.equal(none.cannotSubmit("KUBEFLOW")?.code, "NOT_SUPPORTED");
    assert.match(none.cannotSubmit("KUBEFLOW")?.message ?? "", /this collector submits Slurm runs only: send KUBEFLOW runs back with `snaptrail resubmit RUN`/);

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
});
