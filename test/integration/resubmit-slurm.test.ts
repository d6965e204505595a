import assert from "node:assert/strict";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { RunDetail } from "../../core/api-types.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { commitRepo, git } from "../helpers/git.js";
import { createVenv, pipInstall } from "../helpers/python-env.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { startSlurmCluster, type SlurmCluster } from "../helpers/slurm-cluster.js";
import { makeKeyPair, startSshd, type Sshd } from "../helpers/sshd-server.js";
import { freePort } from "../helpers/free-port.js";

// The rollback story on a real Slurm 22.05 with two fake GPUs and the hooks installed as
// deploy/slurm says: a GPU job (--gres=gpu:2) whose script activates a venv by absolute path runs
// with six 1.15.0 and code "old"; then the venv is upgraded in place and the code changes;
// `snaptrail resubmit` of the first run submits an equivalent job that, checked from inside, runs
// on the OLD six and the OLD code with both GPUs, and the hooks record it as a rollback.

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
/** The `snaptrail` bin (bin/snaptrail.cjs), for --remote-snaptrail: one path that runs this build. */
const SNAPTRAIL_BIN = join(REPO, "bin", "snaptrail.cjs");
const AGENT_BUNDLE = join(REPO, "dist", "agent-bundle", "snaptrail-agent.cjs");

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

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, diagnostics: () => string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${diagnostics()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

void describe("snaptrail resubmit: Slurm jobs back on their old code and venv", { timeout: 15 * 60_000 }, () => {
  let dir: string;
  let hooks: string;
  let venv: string;
  let proj: string;
  let proofs: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let cluster: SlurmCluster;
  let runId: string;
  let cliEnv: NodeJS.ProcessEnv;
  let sshd: Sshd;

  /** `resubmit --via` to the test sshd as root, with the cluster's slurm.conf on the login node. */
  const viaSsh = (knownHosts = sshd.knownHostsFile): string[] => [
    "--via",
    sshd.url,
    "--identity",
    sshd.clientKey.privateKeyFile,
    "--known-hosts",
    knownHosts,
    "--remote-snaptrail",
    SNAPTRAIL_BIN,
    "--remote-env",
    `SLURM_CONF=${cluster.confPath}`,
    "--remote-env",
    `PATH=${process.env.PATH ?? ""}`,
    "--restore-dir",
    join(dir, "restores"),
  ];

  const readProof = (jobId: string): Proof => {
    const text = readFileSync(join(proofs, `proof-${jobId}.txt`), "utf8");
    const get = (k: string): string => new RegExp(`^${k}=(.*)$`, "m").exec(text)?.[1] ?? "";
    return { six: get("six"), code: get("code"), cuda: get("cuda") };
  };
  const cli = (args: string[], env: NodeJS.ProcessEnv = cliEnv): Promise<CliResult> => runCli(args, { env, cwd: dir });
  const hookLogs = (): string =>
    [join(dir, "root-spool", "hooks.log"), join(dir, `user-${process.getuid?.() ?? 0}`, "hooks.log")]
      .map((f) => `--- ${f}\n${existsSync(f) ? readFileSync(f, "utf8").slice(-3000) : "(none)"}`)
      .join("\n");
  const diagnostics = (): string => `${hookLogs()}\n${cluster.diagnostics()}`;
  const failed = (r: CliResult): string => `exit ${r.code}\nstdout: ${r.stdout.toString()}\nstderr: ${r.stderr}\n${diagnostics()}`;

  /** The run once the hooks have delivered its start, environment (and code, when asked) and finish. */
  const recorded = (id: string, withCode = false): Promise<RunDetail> =>
    waitFor(
      `run ${id} recorded by the hooks`,
      async () => {
        const run = await client.getRun(id).catch(() => undefined);
        return run?.config && run.environment && (run.code || !withCode) && run.status !== "running" ? run : undefined;
      },
      diagnostics,
    );

  const jobScript = (): string =>
    [
      "#!/bin/bash",
      "#SBATCH --job-name=train",
      "#SBATCH --gres=gpu:2",
      "#SBATCH --time=00:10:00",
      "set -e",
      `source ${venv}/bin/activate`,
      `export PROOF_DIR=${proofs}`,
      `cd ${proj}`,
      "python report.py",
      "",
    ].join("\n");

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-resubmit-"));
    chmodSync(dir, 0o755);
    venv = join(dir, "envs", "train");
    proj = join(dir, "proj");
    proofs = join(dir, "proofs");
    hooks = join(dir, "hooks");
    for (const d of [proofs, hooks]) mkdirSync(d, { recursive: true });
    commitRepo(proj, { "report.py": REPORT, "version.py": 'CODE = "old"\n' });
    const python = await createVenv(venv, ["six==1.15.0"]);
    collector = await startCollectorProcess();
    client = new CollectorHttpClient(collector.httpUrl);
    // The hooks as deploy/slurm installs them, reporting to the collector.
    for (const f of ["prolog.sh", "task-prolog.sh", "epilog.sh", "hook-common.sh"]) copyFileSync(join(REPO, "deploy", "slurm", f), join(hooks, f));
    writeFileSync(join(hooks, "snaptrail"), `#!/bin/sh\nexec '${process.execPath}' '${AGENT_BUNDLE}' "$@"\n`, { mode: 0o755 });
    writeFileSync(
      join(hooks, "slurm.env"),
      [
        `SNAPTRAIL_BIN=${join(hooks, "snaptrail")}`,
        `SNAPTRAIL_COLLECTOR=${collector.grpcAddress}`,
        `SNAPTRAIL_SLURM_ROOT_DIR=${join(dir, "root-spool")}`,
        `SNAPTRAIL_SLURM_USER_DIR=${join(dir, "user-%u")}`,
        `SNAPTRAIL_CACHE_DIR=${join(dir, "agent-cache")}`,
        "",
      ].join("\n"),
    );
    cluster = await startSlurmCluster({ prolog: join(hooks, "prolog.sh"), epilog: join(hooks, "epilog.sh"), taskProlog: join(hooks, "task-prolog.sh"), rest: true });
    sshd = await startSshd();
    cliEnv = { ...process.env, SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl, SNAPTRAIL_CACHE_DIR: join(dir, "cache") };
    delete cliEnv.SLURM_JWT;

    const job = cluster.sbatch([`--chdir=${proj}`, `--output=${proofs}/slurm-%j.out`], jobScript());
    assert.ok(job.jobId, `sbatch refused: ${job.stderr}`);
    const done = await cluster.waitForJob(job.jobId, 180_000);
    assert.equal(done.jobState, "COMPLETED", diagnostics());
    runId = `slurm:${cluster.clusterName}/${job.jobId}`;
    assert.deepEqual(readProof(job.jobId), { six: "1.15.0", code: "old", cuda: "0,1" });
    await recorded(runId, true);
    // The world moves on: the venv is upgraded in place and the code changes.
    await pipInstall(python, ["six==1.16.0"]);
    writeFileSync(join(proj, "version.py"), 'CODE = "new"\n');
    git(proj, "commit", "-qam", "new code");
  });

  after(async () => {
    await cluster?.destroy();
    await sshd?.destroy();
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
    assert.equal(run.orchestratorContext?.attributes.cuda_visible_devices, "0,1");
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
    // The hooks record the new job as a rollback of the old run, with the old packages.
    const rerun = await recorded(answer.expectedRunId);
    assert.equal(rerun.rollbackOf, runId);
    assert.equal(rerun.config?.parameters.gres, "gpu:2");
    assert.equal(rerun.environment?.packages.find((p) => p.name === "six")?.version, "1.15.0");
  }

  void it("--via ssh://: sbatch on the login node submits an equivalent job that runs on the old six and the old code", async () => {
    await submittedJobRunsOld(viaSsh());
  });

  void it("job name, work dir and script with shell metacharacters and quotes reach Slurm exactly over SSH, and nothing is injected", async () => {
    const pwned = join(dir, "pwned");
    const hostile = `it's "$(touch ${pwned})" \`touch ${pwned}\`; touch ${pwned} & a|b *`;
    const work = join(dir, `w d ${hostile.replace(/\//g, "_")}`);
    mkdirSync(work);
    const script = [
      "#!/bin/bash",
      `source ${venv}/bin/activate`,
      "python -c pass",
      `# ${hostile}`,
      `printf '%s\\n' "$SLURM_JOB_NAME" > ${proofs}/name-$SLURM_JOB_ID`,
      `pwd > ${proofs}/pwd-$SLURM_JOB_ID`,
      "",
    ].join("\n");
    const first = cluster.sbatch([`--chdir=${work}`, `--job-name=${hostile}`, `--output=${proofs}/slurm-%j.out`], script);
    assert.ok(first.jobId, first.stderr);
    assert.equal((await cluster.waitForJob(first.jobId, 180_000)).jobState, "COMPLETED", diagnostics());
    const firstRun = await recorded(`slurm:${cluster.clusterName}/${first.jobId}`);
    assert.equal(firstRun.config?.parameters["job-name"], hostile);
    assert.equal(firstRun.config?.parameters.chdir, work);

    const r = await cli(["resubmit", firstRun.runId, ...viaSsh(), "--json"]);
    assert.equal(r.code, 0, failed(r));
    const { jobId, script: sent } = JSON.parse(r.stdout.toString()) as { jobId: string; script: string };
    const done = await cluster.waitForJob(jobId, 300_000);
    assert.equal(done.jobState, "COMPLETED", diagnostics());
    assert.equal(done.fields.JobName, hostile);
    assert.equal(done.fields.WorkDir, work);
    assert.equal(readFileSync(join(proofs, `name-${jobId}`), "utf8"), `${hostile}\n`);
    assert.equal(readFileSync(join(proofs, `pwd-${jobId}`), "utf8"), `${work}\n`);
    const stored = cluster.command("scontrol", ["write", "batch_script", jobId, "-"]);
    assert.equal(stored.stdout, sent);
    assert.ok(sent.includes(`# ${hostile}\n`));
    assert.equal(existsSync(pwned), false, "a field of the snapshot ran as shell code");
  });

  void it("an unknown and a changed host key are refused with the key's fingerprint, and nothing is submitted", async () => {
    const before = cluster.command("squeue", ["-h", "-a", "-o", "%i"]).stdout;
    const empty = join(dir, "known_hosts-empty");
    writeFileSync(empty, "");
    const unknown = await cli(["resubmit", runId, ...viaSsh(empty)]);
    assert.equal(unknown.code, 1, failed(unknown));
    assert.match(unknown.stderr, /SHA256:[A-Za-z0-9+/]{43}/);
    assert.match(unknown.stderr, /--trust-new-host-key/);
    const other = makeKeyPair(dir, "other-host-key", { comment: "" });
    const [type, key] = other.publicKey.split(" ");
    const changed = join(dir, "known_hosts-changed");
    writeFileSync(changed, `[127.0.0.1]:${sshd.port} ${type ?? ""} ${key ?? ""}\n`);
    const refused = await cli(["resubmit", runId, ...viaSsh(changed)]);
    assert.equal(refused.code, 1, failed(refused));
    assert.match(refused.stderr, /SHA256:[A-Za-z0-9+/]{43}/);
    assert.equal(cluster.command("squeue", ["-h", "-a", "-o", "%i"]).stdout, before);
  });

  void it("an unreachable login node is a clear error", async () => {
    const port = await freePort();
    const args = viaSsh();
    args[1] = `ssh://root@127.0.0.1:${port}`;
    const r = await cli(["resubmit", runId, ...args]);
    assert.equal(r.code, 1, failed(r));
    assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  void it("--local: sbatch here submits an equivalent job that runs on the old six and the old code", async () => {
    await submittedJobRunsOld(["--local", "--restore-dir", join(dir, "restores")], { ...cliEnv, ...cluster.env });
  });

  void it("through the collector (POST /api/v1/runs/{id}/resubmit, --resubmit-slurm-local): the same job, recorded in the audit log", async () => {
    // The same collector (store, ports: the hooks report to it) restarted with Slurm credentials.
    const { db } = collector;
    const listen = collector.grpcAddress;
    const http = collector.httpUrl.replace(/^http:\/\//, "");
    await collector.stop();
    const auditLog = join(dir, "audit", "resubmits.jsonl");
    const restores = join(dir, "collector-restores");
    collector = await startCollectorProcess({
      db,
      listen,
      http,
      args: ["--resubmit-slurm-local", "--resubmit-restore-dir", restores, "--resubmit-audit-log", auditLog],
      env: { ...cliEnv, ...cluster.env },
    });
    const url = `${collector.httpUrl}/api/v1/runs/${encodeURIComponent(runId)}/resubmit`;
    const dry = (await (await fetch(url)).json()) as { canSubmit: boolean; cliCommand: string; plan: { commands: string[] } | null };
    assert.equal(dry.canSubmit, true);
    assert.equal(dry.cliCommand, `snaptrail resubmit ${runId} --local --collector-http ${collector.httpUrl}`);
    assert.match(dry.plan?.commands.join("\n") ?? "", /sbatch --parsable --job-name=train .*--gres=gpu:2 /);
    assert.equal(existsSync(restores), false, "the dry run restored nothing");
    const res = await fetch(url, { method: "POST" });
    const answer = (await res.json()) as { jobId: string; expectedRunId: string; dryRun: boolean };
    assert.equal(res.status, 200, JSON.stringify(answer));
    assert.equal(answer.dryRun, false);
    assert.equal(answer.expectedRunId, `slurm:${cluster.clusterName}/${answer.jobId}`);
    const done = await cluster.waitForJob(answer.jobId, 300_000);
    assert.equal(done.jobState, "COMPLETED", cluster.diagnostics());
    assert.deepEqual(readProof(answer.jobId), { six: "1.15.0", code: "old", cuda: "0,1" });
    assert.equal((await recorded(answer.expectedRunId)).rollbackOf, runId);
    // Who asked: with --auth none no token, so the address; both lines written before the answer.
    const lines = readFileSync(auditLog, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => [l.event, l.runId, l.tokenId, l.ip]), [["requested", runId, null, "127.0.0.1"], ["submitted", runId, null, "127.0.0.1"]]);
    assert.equal(lines[1]!.jobId, answer.jobId);
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
    // A Slurm run recorded by `wrap` alone (a site without the hooks) keeps no script.
    const env: NodeJS.ProcessEnv = { ...cliEnv, SNAPTRAIL_COLLECTOR: collector.grpcAddress, SNAPTRAIL_SPOOL_DIR: join(dir, "spool"), SLURM_JOB_ID: "9001", SLURM_CLUSTER_NAME: cluster.clusterName, SLURM_JOB_NAME: "bare" };
    const wrapped = await runCli(["wrap", "--", "true"], { env, cwd: proj });
    assert.equal(wrapped.code, 0, wrapped.stderr);
    const r = await cli(["resubmit", `slurm:${cluster.clusterName}/9001`, "--local"], { ...cliEnv, ...cluster.env });
    assert.equal(r.code, 1, failed(r));
    assert.match(r.stderr, /slurm:snaptrail\/9001 has no stored batch script/);
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
