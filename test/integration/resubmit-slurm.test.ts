import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { RunDetail } from "../../core/api-types.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { SNAPTRAIL_CLI, startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { freePort } from "../helpers/free-port.js";
import { commitRepo, git } from "../helpers/git.js";
import { createVenv, pipInstall } from "../helpers/python-env.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { startSlurmCluster, type SlurmCluster } from "../helpers/slurm-cluster.js";
import { patchSpooledRunConfig } from "../helpers/spooled-run.js";

// The rollback story on a real Slurm 22.05 with two fake GPUs: a GPU job (--gres=gpu:2) whose
// script activates a venv by absolute path runs with six 1.15.0 and code "old"; then the venv is
// upgraded and the code changes; `snaptrail resubmit` of the first run submits an equivalent job
// that, checked from inside, runs on the OLD six and the OLD code with both GPUs.
//
// INTERIM (until the hooks of deploy/slurm are merged): the first run is recorded by `snaptrail
// wrap` inside the job, and the test adds the batch script to it (test/helpers/spooled-run.ts).

/** The `snaptrail` bin (bin/snaptrail.cjs), for --remote-snaptrail: one path that runs this build. */
const SNAPTRAIL_BIN = fileURLToPath(new URL("../../../bin/snaptrail.cjs", import.meta.url));

const REPORT = `import os, six
from version import CODE
proof = os.path.join(os.environ["PROOF_DIR"], "proof-" + os.environ["SLURM_JOB_ID"] + ".txt")
with open(proof, "w") as f:
    f.write(f"six={six.__version__}\\ncode={CODE}\\ncuda={os.environ.get('CUDA_VISIBLE_DEVICES', '')}\\n")
`;

interface Proof {
  six: string;
  code: string;
  cuda: string;
}

void describe("snaptrail resubmit: Slurm jobs back on their old code and venv", { timeout: 15 * 60_000 }, () => {
  let dir: string;
  let venv: string;
  let proj: string;
  let proofs: string;
  let spool: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let cluster: SlurmCluster;
  let runId: string;
  let cliEnv: NodeJS.ProcessEnv;

  const readProof = (jobId: string): Proof => {
    const text = readFileSync(join(proofs, `proof-${jobId}.txt`), "utf8");
    const get = (k: string): string => new RegExp(`^${k}=(.*)$`, "m").exec(text)?.[1] ?? "";
    return { six: get("six"), code: get("code"), cuda: get("cuda") };
  };
  const cli = (args: string[], env: NodeJS.ProcessEnv = cliEnv): Promise<CliResult> => runCli(args, { env, cwd: dir });
  const failed = (r: CliResult): string => `exit ${r.code}\nstdout: ${r.stdout.toString()}\nstderr: ${r.stderr}\n${cluster.diagnostics()}`;

  /** Runs a job whose first run `wrap` records into the spool; returns its run id once flushed with the script added. */
  async function recordJob(script: string, sbatchArgs: string[], chdir: string): Promise<string> {
    const job = cluster.sbatch([`--chdir=${chdir}`, `--output=${proofs}/slurm-%j.out`, ...sbatchArgs], script);
    assert.ok(job.jobId, `sbatch refused: ${job.stderr}`);
    const done = await cluster.waitForJob(job.jobId, 180_000);
    const output = (): string => readFileSync(join(proofs, `slurm-${job.jobId}.out`), "utf8");
    assert.equal(done.jobState, "COMPLETED", `${output()}\n${cluster.diagnostics()}`);
    assert.ok(existsSync(join(spool, "events")), `wrap spooled nothing:\n${output()}`);
    const id = `slurm:${cluster.clusterName}/${job.jobId}`;
    const patched = await patchSpooledRunConfig(spool, (r) => r === id, (c) => {
      c.script = script;
      c.parameters = { ...c.parameters, chdir };
    });
    assert.deepEqual(patched, [id]);
    const flushed = await cli(["spool", "flush", "--spool-dir", spool, "--collector", collector.grpcAddress]);
    assert.equal(flushed.code, 0, flushed.stderr);
    return id;
  }

  const jobScript = (deadPort: number): string =>
    [
      "#!/bin/bash",
      "#SBATCH --job-name=train",
      "#SBATCH --gres=gpu:2",
      "set -e",
      `source ${venv}/bin/activate`,
      `export PROOF_DIR=${proofs}`,
      `cd ${proj}`,
      `SNAPTRAIL_RETRY_FOR_MS=1 ${process.execPath} ${SNAPTRAIL_CLI} wrap --collector 127.0.0.1:${deadPort} --spool-dir ${spool} -- python report.py`,
      "",
    ].join("\n");

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-resubmit-"));
    venv = join(dir, "envs", "train");
    proj = join(dir, "proj");
    proofs = join(dir, "proofs");
    spool = join(dir, "spool");
    for (const d of [proofs, spool]) mkdirSync(d, { recursive: true });
    commitRepo(proj, { "report.py": REPORT, "version.py": 'CODE = "old"\n' });
    const python = await createVenv(venv, ["six==1.15.0"]);
    collector = await startCollectorProcess();
    client = new CollectorHttpClient(collector.httpUrl);
    cluster = await startSlurmCluster({ rest: true });
    cliEnv = { ...process.env, SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl, SNAPTRAIL_CACHE_DIR: join(dir, "cache") };
    delete cliEnv.SLURM_JWT;

    runId = await recordJob(jobScript(await freePort()), [], proj);
    // The world moves on: the venv is upgraded in place and the code changes.
    await pipInstall(python, ["six==1.16.0"]);
    writeFileSync(join(proj, "version.py"), 'CODE = "new"\n');
    git(proj, "commit", "-qam", "new code");
  });

  after(async () => {
    await cluster?.destroy();
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  void it("records the GPU job with its script, resources and venv", async () => {
    const run: RunDetail = await client.getRun(runId);
    assert.equal(run.orchestrator, "SLURM");
    assert.match(run.config?.script ?? "", /source .*envs\/train\/bin\/activate/);
    assert.equal(run.config?.parameters.gres, "gpu:2");
    assert.equal(run.environment?.interpreter?.prefix, venv);
    assert.equal(run.code?.root, proj);
    assert.equal(run.environment?.packages.find((p) => p.name === "six")?.version, "1.15.0");
  });

  void it("--dry-run prints the sbatch line with the recorded --gres and the mapped script, and submits nothing", async () => {
    const restoreDir = join(dir, "dry");
    const r = await cli(["resubmit", runId, "--local", "--dry-run", "--restore-dir", restoreDir]);
    assert.equal(r.code, 0, failed(r));
    const out = r.stdout.toString();
    assert.match(out, /sbatch --parsable --job-name=train .*--gres=gpu:2 /);
    assert.match(out, new RegExp(`source ${restoreDir}/cache/venvs/[0-9a-f]{64}/bin/activate`));
    assert.ok(!out.includes(`source ${venv}/`), out);
    assert.match(out, new RegExp(`^cd ${restoreDir}/[^/]+/code$`, "m"));
    assert.equal(existsSync(restoreDir), false, "a dry run restored something");
  });

  async function submittedJobRunsOld(args: string[], env: NodeJS.ProcessEnv = cliEnv): Promise<void> {
    const r = await cli(["resubmit", runId, ...args, "--json"], env);
    assert.equal(r.code, 0, failed(r));
    const answer = JSON.parse(r.stdout.toString()) as { jobId: string; expectedRunId: string; rollbackOf: string };
    assert.match(answer.jobId, /^\d+$/);
    assert.equal(answer.expectedRunId, `slurm:${cluster.clusterName}/${answer.jobId}`);
    assert.equal(answer.rollbackOf, runId);
    const done = await cluster.waitForJob(answer.jobId, 300_000);
    assert.equal(done.jobState, "COMPLETED", cluster.diagnostics());
    assert.match(done.fields.TresPerNode ?? "", /gres[:/]gpu:2/);
    assert.deepEqual(readProof(answer.jobId), { six: "1.15.0", code: "old", cuda: "0,1" });
  }

  void it("--local: sbatch here submits an equivalent job that runs on the old six and the old code", async () => {
    await submittedJobRunsOld(["--local", "--restore-dir", join(dir, "restores")], { ...cliEnv, ...cluster.env });
  });

  void it("--rest: slurmrestd with a JWT submits an equivalent job that restores first and runs on the old six", async () => {
    await submittedJobRunsOld(
      ["--rest", cluster.restUrl ?? "", "--rest-user", "root", "--remote-snaptrail", SNAPTRAIL_BIN, "--restore-dir", join(dir, "restores"), "--remote-env", `PATH=${process.env.PATH ?? ""}`],
      { ...cliEnv, SLURM_JWT: cluster.token("root", 600) },
    );
  });

  void it("the submitted job's properties are all in the v0.0.38 spec the real slurmrestd serves", async () => {
    const headers = { "X-SLURM-USER-NAME": "root", "X-SLURM-USER-TOKEN": cluster.token("root", 600) };
    const res = await fetch(`${cluster.restUrl ?? ""}/openapi/v3`, { headers });
    assert.equal(res.status, 200, await res.clone().text());
    const spec = (await res.json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, { type?: string }>; required?: string[] }> } };
    assert.ok(spec.paths["/slurm/v0.0.38/job/submit"], Object.keys(spec.paths).join(" "));
    const props = spec.components.schemas["v0.0.38_job_properties"]?.properties ?? {};
    const dry = await cli(["resubmit", runId, "--rest", cluster.restUrl ?? "", "--rest-user", "root", "--dry-run", "--json", "--restore-dir", join(dir, "dry-rest")], { ...cliEnv, SLURM_JWT: "x" });
    assert.equal(dry.code, 0, failed(dry));
    const command = (JSON.parse(dry.stdout.toString()) as { commands: string[] }).commands[0] ?? "";
    const job = (JSON.parse(/'(\{.*\})'$/.exec(command)?.[1] ?? "{}") as { job: Record<string, unknown> }).job;
    for (const key of Object.keys(job)) assert.ok(props[key], `${key} is not a v0.0.38 job property`);
    assert.equal(props.environment?.type, "object");
    assert.equal(typeof job.environment, "object");
    assert.equal(job.gres, "gpu:2");
  });

  void it("--gres gpu:3 (more GPUs than the node has) fails with sbatch's own message and a non-zero exit", async () => {
    const r = await cli(["resubmit", runId, "--local", "--gres", "gpu:3", "--restore-dir", join(dir, "restores")], { ...cliEnv, ...cluster.env });
    assert.equal(r.code, 1, failed(r));
    assert.match(r.stderr, /sbatch on this machine refused the resubmission of slurm:/);
    assert.match(r.stderr, /Requested node configuration is not available/);
  });

  void it("an expired slurmrestd token is refused with a clear error and nothing is submitted", async () => {
    const token = cluster.token("root", 1);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const before = cluster.command("squeue", ["-h", "-a", "-o", "%i"]).stdout;
    const r = await cli(["resubmit", runId, "--rest", cluster.restUrl ?? "", "--rest-user", "root", "--restore-dir", join(dir, "restores")], { ...cliEnv, SLURM_JWT: token });
    assert.equal(r.code, 1, failed(r));
    assert.match(r.stderr, /the slurmrestd token for root expired at .*scontrol token/);
    assert.equal(cluster.command("squeue", ["-h", "-a", "-o", "%i"]).stdout, before);
  });

  void it("a token slurmctld cannot verify (signed with another key) is refused as unauthenticated", async () => {
    const real = cluster.token("root", 600).split(".");
    const forged = [real[0], real[1], Buffer.from("not the cluster's signature").toString("base64url")].join(".");
    const r = await cli(["resubmit", runId, "--rest", cluster.restUrl ?? "", "--rest-user", "root", "--restore-dir", join(dir, "restores")], { ...cliEnv, SLURM_JWT: forged });
    assert.equal(r.code, 1, failed(r));
    assert.match(r.stderr, /slurmrestd at .* refused the token for root/);
  });

  void it("a run without a stored script is a clear error", async () => {
    // A Slurm run recorded by `wrap` alone (no hooks) keeps no script.
    const job = cluster.sbatch([`--chdir=${proj}`], `#!/bin/bash\n${process.execPath} ${SNAPTRAIL_CLI} wrap --collector ${collector.grpcAddress} -- true\n`);
    assert.ok(job.jobId, job.stderr);
    assert.equal((await cluster.waitForJob(job.jobId)).jobState, "COMPLETED", cluster.diagnostics());
    const r = await cli(["resubmit", `slurm:${cluster.clusterName}/${job.jobId}`, "--local"], { ...cliEnv, ...cluster.env });
    assert.equal(r.code, 1, failed(r));
    assert.match(r.stderr, /has no stored batch script/);
  });

  void it("a Slurm run needs a transport, and two transports are refused", async () => {
    const none = await cli(["resubmit", runId]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /say where to submit it: --via ssh:\/\/USER@HOST\[:PORT\].*--local.*--rest URL/);
    const two = await cli(["resubmit", runId, "--local", "--rest", "http://127.0.0.1:1"]);
    assert.equal(two.code, 1);
    assert.match(two.stderr, /--local and --rest exclude each other/);
  });
});

void describe("snaptrail resubmit: local runs", { timeout: 5 * 60_000 }, () => {
  let dir: string;
  let collector: CollectorProcess;
  let env: NodeJS.ProcessEnv;
  let runId: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-resubmit-local-"));
    const python = await createVenv(join(dir, "venv"), ["six==1.15.0"]);
    collector = await startCollectorProcess();
    env = { ...process.env, SNAPTRAIL_COLLECTOR: collector.grpcAddress, SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl, SNAPTRAIL_CACHE_DIR: join(dir, "cache"), SNAPTRAIL_SPOOL_DIR: join(dir, "spool") };
    for (const k of Object.keys(env)) if (k.startsWith("SLURM_")) delete env[k];
    const work = join(dir, "work");
    mkdirSync(work);
    writeFileSync(join(work, "job.py"), "import six, sys\nprint('six=' + six.__version__)\nsys.exit(3)\n");
    const first = await runCli(["wrap", "--", python, "job.py"], { env, cwd: work });
    assert.equal(first.code, 3, first.stderr);
    assert.match(first.stdout.toString(), /six=1\.15\.0/);
    const runs = await new CollectorHttpClient(collector.httpUrl).listRuns({});
    assert.equal(runs.length, 1);
    runId = runs[0]?.runId ?? "";
    await pipInstall(python, ["six==1.16.0"]);
  });

  after(async () => {
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  void it("re-runs the recorded command under wrap --restore: old six, output passed through, exit status back", async () => {
    const r = await runCli(["resubmit", runId], { env, cwd: dir });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout.toString(), /six=1\.15\.0/);
    const runs = await new CollectorHttpClient(collector.httpUrl).listRuns({});
    const rerun = runs.find((x) => x.runId !== runId);
    assert.equal(rerun?.rollbackOf, runId);
  });

  void it("a local run asked to go --via ssh or --rest is a clear error", async () => {
    for (const args of [["--via", "ssh://root@127.0.0.1:1"], ["--rest", "http://127.0.0.1:1"]]) {
      const r = await runCli(["resubmit", runId, ...args], { env, cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /is a local run, not a Slurm run/);
    }
    assert.equal(readdirSync(dir).includes("restores"), false);
  });
});
