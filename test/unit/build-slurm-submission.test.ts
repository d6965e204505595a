import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { buildSlurmSubmission, planRestore, withRestorePreamble } from "../../adapters/slurm/build-slurm-submission.js";
import { mapPaths } from "../../adapters/slurm/map-paths.js";
import { slurmrestdJob } from "../../adapters/slurm/slurmrestd-resubmitter.js";
import { slurmMemToMegabytes, slurmTimeToMinutes } from "../../adapters/slurm/slurm-units.js";
import { shellJoin } from "../../core/diff/shell-quote.js";
import { SnaptrailError } from "../../core/errors.js";
import { slurmRunDetail } from "../helpers/slurm-run-detail.js";

const HOSTILE = `it's "$(touch /tmp/pwned)" \`id\`; rm -rf ~ && echo $HOME|cat > x & \\ *`;

/** What a POSIX shell makes of a command line: the argv it would run (printed by a shell function). */
function argvAfterShell(line: string): string[] {
  const r = spawnSync("/bin/sh", ["-c", `show() { for a in "$@"; do printf '%s\\0' "$a"; done; }; show ${line}`], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\0").slice(0, -1);
}

const plan = (run = slurmRunDetail()) => planRestore({ run, dir: "/home/ana/.cache/snaptrail/resubmits", stamp: "s1", collectorHttp: "http://127.0.0.1:8077" });

void describe("the Slurm submission builder", () => {
  void it("keeps the recorded resources, --gres exactly as recorded, and marks the rollback", () => {
    const s = buildSlurmSubmission({ run: slurmRunDetail() });
    assert.deepEqual(s.sbatchArgs, [
      "--parsable",
      "--job-name=train",
      "--partition=gpu",
      "--gres=gpu:2",
      "--time=00:10:00",
      "--chdir=/home/ana/proj/runs",
      "--export=ALL,SNAPTRAIL_ROLLBACK_OF=slurm:hpc/41",
    ]);
    assert.equal(s.script, slurmRunDetail().config?.script);
  });

  void it("applies --gres, --partition and --time over the recorded ones, and nothing else", () => {
    const s = buildSlurmSubmission({ run: slurmRunDetail(), overrides: { gres: "gpu:3", partition: "debug", time: "5" } });
    assert.ok(s.sbatchArgs.includes("--gres=gpu:3"));
    assert.ok(s.sbatchArgs.includes("--partition=debug"));
    assert.ok(s.sbatchArgs.includes("--time=5"));
    assert.ok(!s.sbatchArgs.includes("--gres=gpu:2"));
  });

  void it("carries only sbatch options it knows: a stored `wrap`, `export` or `uid` parameter is dropped", () => {
    const s = buildSlurmSubmission({ run: slurmRunDetail({ parameters: { wrap: "rm -rf /", export: "NONE", uid: "0", "job-name": "j", gres: "gpu:1" } }) });
    assert.deepEqual(s.sbatchArgs.filter((a) => !a.startsWith("--export=ALL,")), ["--parsable", "--job-name=j", "--gres=gpu:1", "--chdir=/home/ana/proj"]);
  });

  void it("passes shell metacharacters and quotes in job name, work dir and script exactly, one argv element each", () => {
    const script = `#!/bin/bash\necho ${HOSTILE}\n`;
    const run = slurmRunDetail({ script, parameters: { "job-name": HOSTILE, chdir: `/tmp/w d/${HOSTILE}` }, withCode: false, withEnvironment: false });
    const s = buildSlurmSubmission({ run });
    assert.ok(s.sbatchArgs.includes(`--job-name=${HOSTILE}`));
    assert.ok(s.sbatchArgs.includes(`--chdir=/tmp/w d/${HOSTILE}`));
    assert.equal(s.script, script);
    // Over SSH the argv travels as one shell line; the shell must hand back the very same argv.
    const argv = ["sbatch", ...s.sbatchArgs];
    assert.deepEqual(argvAfterShell(shellJoin(argv)), argv);
  });

  void it("refuses a run without a stored script, naming the run", () => {
    assert.throws(() => buildSlurmSubmission({ run: slurmRunDetail({ script: "" }) }), (e: unknown) => e instanceof SnaptrailError && e.code === "BAD_INPUT" && /slurm:hpc\/41 has no stored batch script/.test(e.message));
  });

  void it("refuses --step and values that cannot travel (a line break, a comma in an export)", () => {
    assert.throws(() => buildSlurmSubmission({ run: slurmRunDetail(), overrides: { step: "train" } }), /resubmitted whole/);
    assert.throws(() => buildSlurmSubmission({ run: slurmRunDetail({ parameters: { "job-name": "a\nb" } }) }), /line break/);
    assert.throws(() => buildSlurmSubmission({ run: slurmRunDetail({ runId: "slurm:a,b/1" }) }), /comma/);
  });
});

void describe("the restore plan and path mapping", () => {
  void it("restores into fixed paths and maps the venv activated by absolute path, the code root and the work dir", () => {
    const run = slurmRunDetail();
    const p = plan(run);
    assert.ok(p);
    const hex = run.environmentDigest?.slice("sha256:".length) ?? "";
    const venv = `/home/ana/.cache/snaptrail/resubmits/cache/venvs/${hex}`;
    const code = "/home/ana/.cache/snaptrail/resubmits/s1/code";
    assert.equal(p.venvDir, venv);
    assert.equal(p.codeInto, code);
    assert.deepEqual(p.args, ["restore", "slurm:hpc/41", "--into", code, "--env", "rebuild", "--cache-dir", "/home/ana/.cache/snaptrail/resubmits/cache", "--collector-http", "http://127.0.0.1:8077", "--json"]);
    const s = buildSlurmSubmission({ run, restore: p });
    assert.equal(s.script, `#!/bin/bash\n#SBATCH --gres=gpu:2\nsource ${venv}/bin/activate\ncd ${code}\npython train.py\n`);
    assert.equal(s.workDir, `${code}/runs`);
    assert.ok(s.sbatchArgs.includes(`--chdir=${code}/runs`));
  });

  void it("maps whole paths only, never a longer name that starts the same", () => {
    const m = [{ from: "/shared/envs/train", to: "/r/venv" }];
    assert.equal(mapPaths("/shared/envs/train2/bin /x/shared/envs/train '/shared/envs/train/bin/python' \"/shared/envs/train\"", m), "/shared/envs/train2/bin /x/shared/envs/train '/r/venv/bin/python' \"/r/venv\"");
  });

  void it("does not map a system interpreter's prefix (/usr), and refuses restored paths a shell would read", () => {
    const run = slurmRunDetail();
    const env = run.environment;
    assert.ok(env?.interpreter);
    env.interpreter = { ...env.interpreter, prefix: "/usr", basePrefix: "/usr" };
    const p = plan(run);
    assert.deepEqual(p?.mappings.map((x) => x.from), ["/home/ana/proj"]);
    assert.throws(() => mapPaths("/a/b", [{ from: "/a/b", to: "/tmp/$(id)" }]), /characters a shell would read/);
    assert.throws(() => planRestore({ run, dir: "relative", stamp: "s", collectorHttp: "http://x" }), /absolute/);
  });

  void it("has nothing to restore for a run with neither code nor environment", () => {
    assert.equal(plan(slurmRunDetail({ withCode: false, withEnvironment: false })), undefined);
  });

  void it("puts the restore after the #SBATCH header for slurmrestd, quoted", () => {
    const script = "#!/bin/bash\n#SBATCH --gres=gpu:2\n\n#SBATCH -t 5\necho hi\n";
    const out = withRestorePreamble(script, ["snaptrail", "restore", "slurm:hpc/41", "--into", "/r/it's"], "slurm:hpc/41");
    const lines = out.split("\n");
    assert.deepEqual(lines.slice(0, 4), ["#!/bin/bash", "#SBATCH --gres=gpu:2", "", "#SBATCH -t 5"]);
    assert.match(lines[5] ?? "", /^snaptrail restore slurm:hpc\/41 --into '\/r\/it'\\''s' >&2 \|\| \{/);
    assert.equal(lines[6], "echo hi");
    const moved = withRestorePreamble(script, ["snaptrail", "restore", "r"], "r", "/r/code/w d").split("\n");
    assert.equal(moved[6], "cd '/r/code/w d' || exit 1");
  });
});

void describe("slurmrestd v0.0.38 job properties", () => {
  void it("maps sbatch options to the 22.05 names and types, environment as an object", () => {
    const run = slurmRunDetail({ parameters: { "job-name": "t", partition: "gpu", gres: "gpu:2", time: "1-02:03:04", mem: "4G", ntasks: "2", "cpus-per-task": "1", chdir: "/w" } });
    const job = slurmrestdJob(buildSlurmSubmission({ run }), { PATH: "/bin" });
    assert.deepEqual(job, {
      environment: { PATH: "/bin" },
      name: "t",
      partition: "gpu",
      tasks: 2,
      cpus_per_task: 1,
      memory_per_node: 4096,
      gres: "gpu:2",
      time_limit: 24 * 60 + 2 * 60 + 4,
      current_working_directory: "/w",
    });
    assert.ok(!("tres_per_node" in job));
  });

  void it("reads Slurm's time and memory formats", () => {
    assert.equal(slurmTimeToMinutes("30"), 30);
    assert.equal(slurmTimeToMinutes("10:30"), 11);
    assert.equal(slurmTimeToMinutes("1:00:00"), 60);
    assert.equal(slurmTimeToMinutes("2-0"), 2880);
    assert.equal(slurmTimeToMinutes("2-1:30"), 2970);
    assert.equal(slurmTimeToMinutes("UNLIMITED"), undefined);
    assert.throws(() => slurmTimeToMinutes("soon"), /Slurm format/);
    assert.equal(slurmMemToMegabytes("512"), 512);
    assert.equal(slurmMemToMegabytes("1T"), 1024 * 1024);
    assert.throws(() => slurmMemToMegabytes("lots"), /sbatch's format/);
  });
});
