// The Slurm hooks as an admin installs them (deploy/slurm/: the wrapper scripts and a slurm.env),
// on a real one-node cluster with two fake GPUs, reporting to a real collector: the snapshot of a
// GPU job whose script activates a venv; hooks facing a dead and a stopped collector; an array;
// a requeue.
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { RunDetail, RunSummary } from "../../core/api-types.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { freePort } from "../helpers/free-port.js";
import { createVenv } from "../helpers/python-env.js";
import { removeServerDir } from "../helpers/server-process.js";
import { startSlurmCluster, type SlurmCluster } from "../helpers/slurm-cluster.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const AGENT_BUNDLE = join(REPO, "dist", "agent-bundle", "snaptrail-agent.cjs");

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, diagnostics: () => string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${diagnostics()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function getRun(collector: CollectorProcess, runId: string): Promise<RunDetail | undefined> {
  const res = await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(runId)}`);
  if (res.status !== 200) {
    await res.text();
    return undefined;
  }
  return (await res.json()) as RunDetail;
}

describe("snaptrail slurm prolog|task-prolog|epilog installed as deploy/slurm says", () => {
  let root: string;
  let hooks: string;
  let cluster: SlurmCluster;
  let collector: CollectorProcess;
  let venv: string;
  let work: string;
  const extraCollectors: CollectorProcess[] = [];

  /** slurm.env beside the wrappers: what an admin writes into /etc/snaptrail/slurm.env. */
  const configure = (collectorAddress: string): void => {
    const lines = [
      `SNAPTRAIL_BIN=${join(hooks, "snaptrail")}`,
      `SNAPTRAIL_COLLECTOR=${collectorAddress}`,
      `SNAPTRAIL_SLURM_ROOT_DIR=${join(root, "root-spool")}`,
      `SNAPTRAIL_SLURM_USER_DIR=${join(root, "user-%u")}`,
      `SNAPTRAIL_CACHE_DIR=${join(root, "cache")}`,
    ];
    writeFileSync(join(hooks, "slurm.env"), `${lines.join("\n")}\n`);
  };

  const diagnostics = (): string => {
    const logs = [join(root, "root-spool", "hooks.log"), join(root, `user-${process.getuid!()}`, "hooks.log")]
      .map((f) => `--- ${f}\n${existsSync(f) ? readFileSync(f, "utf8").slice(-4000) : "(none)"}`)
      .join("\n");
    return `${logs}\n--- collector\n${collector?.stderr().slice(-3000)}\n${cluster?.diagnostics()}`;
  };

  const runJob = async (args: string[], script: string): Promise<{ jobId: string; output: string }> => {
    const job = cluster.sbatch([`--output=${join(cluster.jobsDir, "job-%j.out")}`, ...args], script);
    assert.equal(job.status, 0, job.stderr);
    const done = await cluster.waitForJob(job.jobId!);
    assert.equal(done.jobState, "COMPLETED", `${done.jobState} ${done.exitCode}\n${diagnostics()}`);
    const out = join(cluster.jobsDir, `job-${job.jobId}.out`);
    return { jobId: job.jobId!, output: existsSync(out) ? readFileSync(out, "utf8") : "" };
  };

  /** The run once the collector holds its start, its Python environment and its finish. */
  const complete = (runId: string, timeoutMs?: number): Promise<RunDetail> =>
    waitFor(
      `run ${runId} complete in the collector`,
      async () => {
        const run = await getRun(collector, runId);
        return run && run.config && run.environment && run.host && run.status !== "running" ? run : undefined;
      },
      diagnostics,
      timeoutMs,
    );

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "snaptrail-slurm-hooks-test-"));
    chmodSync(root, 0o755);
    hooks = join(root, "hooks");
    mkdirSync(hooks);
    for (const f of ["prolog.sh", "task-prolog.sh", "epilog.sh", "hook-common.sh"]) copyFileSync(join(REPO, "deploy", "slurm", f), join(hooks, f));
    // The agent as a node has it: one executable file; here node and the one-file agent bundle.
    writeFileSync(join(hooks, "snaptrail"), `#!/bin/sh\nexec '${process.execPath}' '${AGENT_BUNDLE}' "$@"\n`, { mode: 0o755 });
    work = join(root, "work");
    mkdirSync(work);
    [collector, venv] = await Promise.all([startCollectorProcess(), createVenv(join(root, "venv"), ["six==1.16.0"]).then(() => join(root, "venv"))]);
    configure(collector.grpcAddress);
    cluster = await startSlurmCluster({ prolog: join(hooks, "prolog.sh"), epilog: join(hooks, "epilog.sh"), taskProlog: join(hooks, "task-prolog.sh") });
  });

  after(async () => {
    await cluster?.destroy();
    for (const c of new Set([collector, ...extraCollectors])) await c?.kill();
    if (root) removeServerDir(root);
  });

  it("records a --gres=gpu:2 job whose script activates a venv: the script, the resources, the venv's packages, the GPUs, the exit", async () => {
    const token = "hf_Q7x2LmN9pR4sT6vW8yZ1aB3cD5eF7gH9";
    const script = [
      "#!/bin/bash",
      "#SBATCH --gres=gpu:2",
      "#SBATCH --time=00:10:00",
      "#SBATCH --job-name=train-gpu",
      `export HF_TOKEN=${token}`,
      `source '${venv}/bin/activate'`,
      'echo "batch run=$SNAPTRAIL_RUN_ID gpus=$CUDA_VISIBLE_DEVICES"',
      "srun sh -c 'echo \"step run=$SNAPTRAIL_RUN_ID\"'",
      "python -c 'import six, sys; print(\"six\", six.__version__, sys.prefix)'",
      "",
    ].join("\n");
    const { jobId, output } = await runJob([`--chdir=${work}`], script);
    const runId = `slurm:${cluster.clusterName}/${jobId}`;
    // The job itself is untouched: its Python runs in its venv, every step sees the run id.
    assert.match(output, new RegExp(`^six 1\\.16\\.0 ${realpathSync(venv).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"), output);
    assert.match(output, new RegExp(`^batch run=${runId} gpus=0,1$`, "m"));
    assert.match(output, new RegExp(`^step run=${runId}$`, "m"));

    const run = await complete(runId);
    assert.equal(run.orchestrator, "SLURM");
    assert.equal(run.status, "succeeded");
    assert.equal(run.exitCode, 0);
    // The script exactly as submitted, but for the secret's value.
    assert.equal(run.config!.script, script.replace(token, run.config!.script.match(/<redacted sha256:[0-9a-f]{12}>/)?.[0] ?? "(no marker)"));
    assert.doesNotMatch(JSON.stringify(run), new RegExp(token));
    const p = run.config!.parameters;
    assert.equal(p.gres, "gpu:2");
    assert.equal(p.time, "00:10:00");
    assert.equal(p["job-name"], "train-gpu");
    assert.equal(p.partition, cluster.partition);
    assert.equal(p.chdir, work);
    assert.equal(p["time-limit"], undefined);
    const attrs = run.orchestratorContext!.attributes;
    assert.equal(attrs.job_gpus, "0,1");
    assert.equal(attrs.cuda_visible_devices, "0,1");
    assert.equal(attrs.tres_per_node, "gres:gpu:2");
    // The venv the script activated, not the Python on the task prolog's PATH.
    assert.equal(run.environment!.interpreter!.prefix, realpathSync(venv));
    assert.equal(run.environment!.interpreter!.kind, "venv");
    assert.deepEqual(
      run.environment!.packages.filter((x) => x.name === "six").map((x) => x.version),
      ["1.16.0"],
    );
    // snaptrail's own sitecustomize folder is not part of the job's environment.
    const names = run.environment!.env.map((e) => e.name);
    assert.ok(!names.includes("PYTHONPATH") && !names.includes("SNAPTRAIL_SLURM_STATE"), names.join(" "));
    assert.ok(run.host!.hostname !== "" && run.host!.cpuCount > 0);
    assert.equal(cluster.nodeState(), "idle");
  });

  it("records a job submitted by resubmit (SNAPTRAIL_ROLLBACK_OF in its environment) as a rollback of the old run", async () => {
    const { jobId } = await runJob([`--chdir=${work}`, "--export=ALL,SNAPTRAIL_ROLLBACK_OF=slurm:snaptrail/1"], `#!/bin/bash\nsource '${venv}/bin/activate'\npython -c pass\n`);
    const run = await complete(`slurm:${cluster.clusterName}/${jobId}`);
    assert.equal(run.rollbackOf, "slurm:snaptrail/1");
  });

  it("keeps the job and the node well when the collector is dead, and delivers the events once it is back", async () => {
    const port = await freePort();
    configure(`127.0.0.1:${port}`);
    const { jobId } = await runJob([`--chdir=${work}`, "--gres=gpu:1"], `#!/bin/bash\nsource '${venv}/bin/activate'\npython -c 'print(1)'\n`);
    assert.equal(cluster.nodeState(), "idle");
    const runId = `slurm:${cluster.clusterName}/${jobId}`;
    assert.equal(await getRun(collector, runId), undefined);
    // Back, on the same address and data: the next job's hooks send what waited in the spools.
    await collector.stop();
    collector = await startCollectorProcess({ db: collector.db, listen: `127.0.0.1:${port}` });
    extraCollectors.push(collector);
    await runJob([`--chdir=${work}`], `#!/bin/bash\nsource '${venv}/bin/activate'\npython -c pass\n`);
    const run = await complete(runId);
    assert.equal(run.status, "succeeded");
    assert.equal(run.config!.parameters.gres, "gpu:1");
  });

  it("keeps the job and the node well when the collector hangs (SIGSTOP), and delivers the events once it runs again", async () => {
    configure(collector.grpcAddress);
    process.kill(collector.pid, "SIGSTOP");
    let jobId: string;
    try {
      ({ jobId } = await runJob([`--chdir=${work}`], `#!/bin/bash\nsource '${venv}/bin/activate'\npython -c 'print(2)'\nexit 0\n`));
      assert.equal(cluster.nodeState(), "idle");
    } finally {
      process.kill(collector.pid, "SIGCONT");
    }
    await runJob([`--chdir=${work}`], "#!/bin/bash\ntrue\n");
    const run = await complete(`slurm:${cluster.clusterName}/${jobId}`);
    assert.equal(run.status, "succeeded");
  });

  it("gives each of an array's 50 tasks a run of its own, with one slurmctld call for the array on the node", async () => {
    configure(collector.grpcAddress);
    // Every scontrol the tasks' hooks run is counted: a logging scontrol first on the jobs' PATH.
    const counted = join(root, "counted-bin");
    mkdirSync(counted, { recursive: true });
    const calls = join(root, "scontrol-calls");
    const real = cluster.command("sh", ["-c", "command -v scontrol"]).stdout.trim();
    writeFileSync(join(counted, "scontrol"), `#!/bin/sh\necho "$*" >> '${calls}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    const job = cluster.sbatch(["--array=0-49", "--job-name=sweep", `--chdir=${work}`, "--output=/dev/null"], "#!/bin/bash\ntrue\n", {
      env: { PATH: `${counted}:${process.env.PATH ?? ""}` },
    });
    assert.equal(job.status, 0, job.stderr);
    const arrayId = job.jobId!;
    await waitFor(
      "all 50 array tasks done",
      () => {
        const left = cluster.command("squeue", ["-h", "-j", arrayId]).stdout.trim();
        return left === "" ? true : undefined;
      },
      diagnostics,
      240_000,
    );
    const runs = await waitFor(
      "50 finished runs",
      async () => {
        const res = await fetch(`${collector.httpUrl}/api/v1/runs?pipeline=sweep&limit=200`);
        const body = (await res.json()) as { runs: RunSummary[] };
        const finished = body.runs.filter((r) => r.status === "succeeded");
        return finished.length >= 50 ? body.runs : undefined;
      },
      diagnostics,
      120_000,
    );
    const ids = runs.map((r) => r.runId).sort();
    const expected = Array.from({ length: 50 }, (_, i) => `slurm:${cluster.clusterName}/${arrayId}_${i}`).sort();
    assert.deepEqual(ids, expected);
    const one = (await getRun(collector, `slurm:${cluster.clusterName}/${arrayId}_7`))!;
    assert.equal(one.config!.parameters.array, "7");
    assert.equal(one.orchestratorContext!.attributes.array_range, "0-49");
    // The job record was read once for the array and cached on the node under the array job id.
    const userDir = join(root, `user-${process.getuid!()}`);
    assert.ok(readdirSync(userDir).includes(`array-${cluster.clusterName}-${arrayId}.json`), readdirSync(userDir).join(" "));
    const lines = readFileSync(calls, "utf8").trim().split("\n");
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0]!, /^show job -o \d+$/);
  });

  it("records a requeued job's second attempt as a new run (+1), not a refused event", async () => {
    configure(collector.grpcAddress);
    const job = cluster.sbatch(["--requeue", `--chdir=${work}`, "--output=/dev/null"], "#!/bin/bash\nif [ \"${SLURM_RESTART_COUNT:-0}\" = 0 ]; then sleep 30; fi\nexit 0\n");
    assert.equal(job.status, 0, job.stderr);
    const id = job.jobId!;
    const runId = `slurm:${cluster.clusterName}/${id}`;
    await waitFor("the first attempt recorded as started", async () => ((await getRun(collector, runId))?.config ? true : undefined), diagnostics);
    const requeue = cluster.command("scontrol", ["requeue", id]);
    assert.equal(requeue.status, 0, requeue.stderr);
    await waitFor(
      "the second attempt done",
      () => {
        const r = cluster.showJob(id);
        return r && r.jobState === "COMPLETED" && r.fields.Restarts === "1" ? true : undefined;
      },
      diagnostics,
      240_000,
    );
    const second = await waitFor(
      "the second attempt's run finished",
      async () => {
        const r = await getRun(collector, `${runId}+1`);
        return r && r.status !== "running" ? r : undefined;
      },
      diagnostics,
    );
    assert.equal(second.status, "succeeded");
    assert.equal(second.attempt, 1);
    assert.doesNotMatch(collector.stderr(), /already has|audit record written once/);
  });
});
