import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { removeServerDir } from "../helpers/server-process.js";
import { startSlurmCluster, type SlurmCluster } from "../helpers/slurm-cluster.js";

describe("startSlurmCluster: a real one-node Slurm with two fake GPUs", () => {
  let cluster: SlurmCluster;
  before(async () => {
    cluster = await startSlurmCluster();
  });
  after(async () => {
    await cluster?.destroy();
  });

  it("runs a --gres=gpu:2 job that sees both GPUs, and shows the request in its job record", async () => {
    const job = cluster.sbatch(["--gres=gpu:2", "--output=gpu-%j.out"], "#!/bin/sh\necho \"gpus=$CUDA_VISIBLE_DEVICES job_gpus=$SLURM_JOB_GPUS\"\n");
    assert.equal(job.status, 0, job.stderr);
    assert.ok(job.jobId, job.stdout);
    const done = await cluster.waitForJob(job.jobId);
    assert.equal(done.jobState, "COMPLETED", cluster.diagnostics());
    assert.equal(done.exitCode, "0:0");
    assert.equal(done.fields.TresPerNode, "gres:gpu:2");
    const out = readFileSync(join(cluster.jobsDir, `gpu-${job.jobId}.out`), "utf8");
    assert.match(out, /gpus=0,1 job_gpus=0,1/);
    assert.equal(cluster.nodeState(), "idle");
  });

  it("refuses more GPUs than the node has, as sbatch says", () => {
    const job = cluster.sbatch(["--gres=gpu:3"], "#!/bin/sh\ntrue\n");
    assert.equal(job.status, 1);
    assert.equal(job.jobId, undefined);
    assert.match(job.stderr, /Requested node configuration is not available/);
  });

  it("reports a failing job's exit code", async () => {
    const job = cluster.sbatch([], "#!/bin/sh\nexit 3\n");
    const done = await cluster.waitForJob(job.jobId!);
    assert.equal(done.jobState, "FAILED");
    assert.equal(done.exitCode, "3:0");
  });
});

describe("startSlurmCluster with hooks and slurmrestd", () => {
  let cluster: SlurmCluster;
  let hooks: string;
  before(async () => {
    hooks = mkdtempSync(join(tmpdir(), "snaptrail-slurm-hooks-"));
    chmodSync(hooks, 0o755);
    const hook = (name: string, body: string): string => {
      const file = join(hooks, name);
      writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return file;
    };
    cluster = await startSlurmCluster({
      rest: true,
      prolog: hook("prolog.sh", `echo "prolog $SLURM_JOB_ID" >> ${hooks}/ran`),
      epilog: hook("epilog.sh", `echo "epilog $SLURM_JOB_ID $SLURM_JOB_EXIT_CODE" >> ${hooks}/ran`),
      taskProlog: hook("task-prolog.sh", 'echo "export FROM_TASK_PROLOG=job$SLURM_JOB_ID"'),
    });
  });
  after(async () => {
    await cluster?.destroy();
    removeServerDir(hooks);
  });

  it("runs the prolog, the task prolog (whose exports reach the job) and the epilog", async () => {
    const job = cluster.sbatch(["--output=hooks-%j.out"], "#!/bin/sh\necho \"seen=$FROM_TASK_PROLOG\"\nexit 2\n");
    const done = await cluster.waitForJob(job.jobId!);
    assert.equal(done.exitCode, "2:0");
    assert.match(readFileSync(join(cluster.jobsDir, `hooks-${job.jobId}.out`), "utf8"), new RegExp(`seen=job${job.jobId}\\n`));
    // The epilog runs after the job is already shown as done: wait for its line, bounded.
    const deadline = Date.now() + 20_000;
    while (!/epilog/.test(readFileSafe(join(hooks, "ran"))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const ran = readFileSafe(join(hooks, "ran"));
    assert.match(ran, new RegExp(`prolog ${job.jobId}\\n`));
    // SLURM_JOB_EXIT_CODE is the raw wait status: exit 2 is 2 << 8.
    assert.match(ran, new RegExp(`epilog ${job.jobId} 512\\n`));
    assert.equal(cluster.nodeState(), "idle");
  });

  it("answers slurmrestd with a JWT from token() and refuses without one", async () => {
    const ok = await fetch(`${cluster.restUrl}/slurm/v0.0.38/diag`, { headers: { "X-SLURM-USER-NAME": "root", "X-SLURM-USER-TOKEN": cluster.token("root", 60) } });
    assert.equal(ok.status, 200, await ok.clone().text());
    const body = (await ok.json()) as { statistics?: unknown };
    assert.ok(body.statistics);
    const refused = await fetch(`${cluster.restUrl}/slurm/v0.0.38/diag`, { headers: { "X-SLURM-USER-NAME": "root", "X-SLURM-USER-TOKEN": "not-a-token" } });
    await refused.text();
    assert.notEqual(refused.status, 200);
  });
});

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
