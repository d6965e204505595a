import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parseScontrolLine } from "../../core/slurm/parse-scontrol-line.js";
import { redactionMarker } from "../../agent/env/redact.js";
import { batchScriptPath } from "../../agent/slurm/batch-script-path.js";
import { exitFromWaitStatus } from "../../agent/slurm/exit-status.js";
import { gresFromTres, jobAttributes, jobParameters } from "../../agent/slurm/job-parameters.js";
import { agentEnvOf, readJobState, writeJobState } from "../../agent/slurm/job-state-file.js";
import { ensurePrivateDir } from "../../agent/slurm/private-dir.js";
import { redactScript } from "../../agent/slurm/redact-script.js";
import { ensureSitecustomize, pythonPathWithout } from "../../agent/slurm/sitecustomize.js";
import { slurmHookOptions, userDirFor } from "../../agent/slurm/slurm-hook-options.js";

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "snaptrail-slurm-unit-"));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// A line as 22.05's `scontrol show job -o` prints it (trimmed), with a job name holding a space.
const LINE =
  "JobId=41 ArrayJobId=40 ArrayTaskId=1 JobName=train big UserId=root(0) Account=(null) QOS=(null) JobState=RUNNING Restarts=0 " +
  "TimeLimit=00:10:00 Partition=debug NumNodes=1 NumCPUs=2 NumTasks=1 CPUs/Task=2 AllocNode:Sid=vm:7 NtasksPerN:B:S:C=0:0:*:* " +
  "MinMemoryNode=100M Features=(null) Command=/home/u/run.sh WorkDir=/home/u/my work TRES=cpu=2,mem=100M,node=1 TresPerNode=gres:gpu:2";

describe("parseScontrolLine", () => {
  it("splits KEY=VALUE pairs, keeping spaces inside values and keys with : and /", () => {
    const r = parseScontrolLine(LINE);
    assert.equal(r.JobName, "train big");
    assert.equal(r.WorkDir, "/home/u/my work");
    assert.equal(r["CPUs/Task"], "2");
    assert.equal(r["AllocNode:Sid"], "vm:7");
    assert.equal(r.TRES, "cpu=2,mem=100M,node=1");
    assert.equal(r.TresPerNode, "gres:gpu:2");
  });
});

describe("jobParameters and jobAttributes", () => {
  it("maps the job record to sbatch long options, leaving out what was not asked", () => {
    const env = { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_MAX: "9", SLURM_ARRAY_TASK_STEP: "1", CUDA_VISIBLE_DEVICES: "0,1", SLURM_JOB_GPUS: "0,1" };
    assert.deepEqual(jobParameters(parseScontrolLine(LINE), env), {
      partition: "debug",
      nodes: "1",
      ntasks: "1",
      "cpus-per-task": "2",
      mem: "100M",
      gres: "gpu:2",
      time: "00:10:00",
      "job-name": "train big",
      chdir: "/home/u/my work",
      array: "1",
    });
    const a = jobAttributes(parseScontrolLine(LINE), env);
    assert.equal(a.array_range, "0-9");
    assert.equal(a.cuda_visible_devices, "0,1");
    assert.equal(a.command, "/home/u/run.sh");
    assert.equal(a.tres_per_node, "gres:gpu:2");
  });

  it("turns TresPerNode into what --gres takes", () => {
    assert.equal(gresFromTres("gres:gpu:a100:2,gres:nic:1"), "gpu:a100:2,nic:1");
    assert.equal(gresFromTres(""), "");
  });
});

describe("redactScript", () => {
  const salt = "test-salt";
  it("replaces secret assignments and flags, and keeps every other byte", () => {
    const script = [
      "#!/bin/bash",
      "#SBATCH --gres=gpu:2",
      "export HF_TOKEN=hf_abc123",
      'DB_PASSWORD="p a s s"',
      "python train.py --api-key=k123 --epochs 3 --password hunter2",
      "echo done  # trailing spaces stay  ",
      "",
    ].join("\n");
    const r = redactScript(script, salt);
    assert.equal(r.redacted, true);
    assert.equal(
      r.script,
      [
        "#!/bin/bash",
        "#SBATCH --gres=gpu:2",
        `export HF_TOKEN=${redactionMarker("hf_abc123", salt)}`,
        `DB_PASSWORD=${redactionMarker('"p a s s"', salt)}`,
        `python train.py --api-key=${redactionMarker("k123", salt)} --epochs 3 --password ${redactionMarker("hunter2", salt)}`,
        "echo done  # trailing spaces stay  ",
        "",
      ].join("\n"),
    );
  });

  it("leaves a script without secrets exactly as it was", () => {
    const script = "#!/bin/sh\n#SBATCH --time=1:00:00\nexport TOKENIZERS_PARALLELISM=false\nsrun python x.py\n";
    assert.deepEqual(redactScript(script, salt), { script, redacted: false });
  });
});

describe("exitFromWaitStatus", () => {
  it("reads SLURM_JOB_EXIT_CODE as a wait status", () => {
    assert.deepEqual(exitFromWaitStatus("0"), { exitCode: 0, signal: "" });
    assert.deepEqual(exitFromWaitStatus("512"), { exitCode: 2, signal: "" });
    assert.deepEqual(exitFromWaitStatus("9"), { exitCode: -1, signal: "SIGKILL" });
    assert.deepEqual(exitFromWaitStatus(undefined), { exitCode: -1, signal: "" });
  });
});

describe("batchScriptPath", () => {
  it("finds SlurmdSpoolDir in SLURM_CONF, expands %n, and pads the job id", () => {
    const d = tempDir();
    writeFileSync(join(d, "slurm.conf"), "ClusterName=x\nSlurmdSpoolDir=/var/spool/slurmd/%n\n");
    assert.equal(batchScriptPath({ SLURM_CONF: join(d, "slurm.conf"), SLURMD_NODENAME: "n1" }, "2"), "/var/spool/slurmd/n1/job00002/slurm_script");
    assert.equal(batchScriptPath({ SLURM_CONF: join(d, "none.conf") }, "123456"), "/var/spool/slurmd/job123456/slurm_script");
    assert.equal(batchScriptPath({}, "../1"), undefined);
  });
});

describe("slurmHookOptions", () => {
  it("has the defaults in one place and refuses bad values with the variable's name", () => {
    const o = slurmHookOptions({});
    assert.equal(o.timeoutMs, 2000);
    assert.equal(userDirFor(o, 1234), "/tmp/snaptrail-1234");
    assert.equal(slurmHookOptions({ SNAPTRAIL_SLURM_HOOKS: "0" }).enabled, false);
    assert.throws(() => slurmHookOptions({ SNAPTRAIL_SLURM_TIMEOUT_MS: "soon" }), /SNAPTRAIL_SLURM_TIMEOUT_MS/);
    assert.throws(() => slurmHookOptions({ SNAPTRAIL_SLURM_USER_DIR: "relative" }), /absolute/);
  });

  it("records a batch script only up to what the collector takes (4 MiB), whatever the setting asks", () => {
    assert.equal(slurmHookOptions({ SNAPTRAIL_SLURM_MAX_SCRIPT_BYTES: "65536" }).maxScriptBytes, 65536);
    assert.equal(slurmHookOptions({ SNAPTRAIL_SLURM_MAX_SCRIPT_BYTES: String(64 * 1024 * 1024) }).maxScriptBytes, 4 * 1024 * 1024);
  });
});

describe("the node-local folders", () => {
  it("refuses a user folder that is a link, belongs to someone else or is open to others", () => {
    const d = tempDir();
    const uid = process.getuid!();
    assert.equal(ensurePrivateDir(join(d, "mine"), uid), join(d, "mine"));
    mkdirSync(join(d, "open"), { mode: 0o777 });
    chmodSync(join(d, "open"), 0o777);
    assert.throws(() => ensurePrivateDir(join(d, "open"), uid), /open to other users/);
    symlinkSync(join(d, "mine"), join(d, "link"));
    assert.throws(() => ensurePrivateDir(join(d, "link"), uid), /not a folder/);
    assert.throws(() => ensurePrivateDir(join(d, "mine"), uid + 1), /belongs to uid/);
  });

  it("believes a job state file only from its owner, and never through a link", () => {
    const d = tempDir();
    const file = join(d, "job-1.json");
    writeJobState(file, { runId: "slurm:c/1", jobId: "1", startedMs: 5, agentArgv: ["/x"], pythonDir: "/p", agentEnv: { SNAPTRAIL_COLLECTOR: "127.0.0.1:1" } });
    assert.equal(readJobState(file, process.getuid!())?.runId, "slurm:c/1");
    symlinkSync(file, join(d, "job-2.json"));
    assert.equal(readJobState(join(d, "job-2.json")), undefined);
    if (process.getuid!() === 0) {
      chownSync(file, 65534, 65534);
      assert.equal(readJobState(file, 0), undefined);
    }
  });

  it("hands the agent's settings on, but not the run's identity", () => {
    assert.deepEqual(agentEnvOf({ SNAPTRAIL_COLLECTOR: "a:1", SNAPTRAIL_RUN_ID: "x", SNAPTRAIL_SLURM_STATE: "s", PATH: "/bin" }), { SNAPTRAIL_COLLECTOR: "a:1" });
  });
});

describe("sitecustomize.py", () => {
  const python = (env: NodeJS.ProcessEnv, code: string): string => execFileSync("python3", ["-c", code], { env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });

  it("starts the report once per job, then runs the sitecustomize it shadows", () => {
    const d = tempDir();
    const calls = join(d, "calls");
    const agent = join(d, "agent.sh");
    writeFileSync(agent, `#!/bin/sh\necho "$*" >> '${calls}'\n`, { mode: 0o755 });
    const ours = ensureSitecustomize(join(d, "user"), [agent]);
    const theirs = join(d, "theirs");
    mkdirSync(theirs);
    writeFileSync(join(theirs, "sitecustomize.py"), "import os\nos.environ['CHAINED'] = 'yes'\n");
    const state = join(d, "user", "job-7.json");
    const env = { PYTHONPATH: `${ours}:${theirs}`, SNAPTRAIL_SLURM_STATE: state };
    assert.equal(python(env, "import os; print(os.environ.get('CHAINED'))").trim(), "yes");
    assert.equal(python(env, "print('again')").trim(), "again");
    // The report runs detached; wait for its one line, bounded.
    const deadline = Date.now() + 10_000;
    while (!existsSync(calls) && Date.now() < deadline) execFileSync("sleep", ["0.05"]);
    const lines = readFileSync(calls, "utf8").trim().split("\n");
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, new RegExp(`^slurm python-seen --state ${state} --python /\\S+python`));
  });

  it("never breaks Python: an agent that cannot start, or no state, changes nothing", () => {
    const d = tempDir();
    const ours = ensureSitecustomize(join(d, "user"), [join(d, "missing-agent")]);
    const env = { PYTHONPATH: ours, SNAPTRAIL_SLURM_STATE: join(d, "user", "job-1.json") };
    assert.equal(python(env, "print(6 * 7)").trim(), "42");
    assert.equal(python({ PYTHONPATH: ours }, "print(6 * 7)").trim(), "42");
  });

  it("is left out of the PYTHONPATH the job's environment is recorded with", () => {
    assert.equal(pythonPathWithout("/u/python:/opt/lib", "/u/python"), "/opt/lib");
    assert.equal(pythonPathWithout("/u/python", "/u/python/"), undefined);
  });
});
