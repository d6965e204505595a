// `npm run bench -- slurm-hooks`: the wall time each Slurm hook adds to a job, as slurmd runs it
// (the deploy/slurm/ wrapper script, the agent's one-file bundle), against a live collector, with
// a warm node: the task prolog of an array task finds the array's job record cached. Side by side
// with an empty hook script and `node -e 0`. The hooks run with the environment of a real running
// array task on a real one-node cluster; medians over BENCH_REPEATS runs.
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startCollectorProcess } from "../test/helpers/collector-process.js";
import { startSlurmCluster } from "../test/helpers/slurm-cluster.js";
import { fmtMs, median, percentile } from "./stats.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The agent bundle's launcher (V8 code cache), as the wheel runs it. */
const AGENT_LAUNCHER = join(ROOT, "dist", "agent-bundle", "launch.cjs");
const REPEATS = Number(process.env.BENCH_REPEATS ?? 20);
const NODE_ROOT = "`node -e 0` (slurmd's environment for the Prolog and Epilog)";
const NODE_TASK = "`node -e 0` (the task's environment)";

function timeSpawn(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", () => resolve(performance.now() - t));
  });
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "snaptrail-bench-slurm-"));
  chmodSync(root, 0o755);
  const hooks = join(root, "hooks");
  mkdirSync(hooks);
  for (const f of ["prolog.sh", "task-prolog.sh", "epilog.sh", "hook-common.sh"]) copyFileSync(join(ROOT, "deploy", "slurm", f), join(hooks, f));
  writeFileSync(join(hooks, "snaptrail"), `#!/bin/sh\nexec '${process.execPath}' '${AGENT_LAUNCHER}' "$@"\n`, { mode: 0o755 });
  writeFileSync(join(hooks, "empty.sh"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  const collector = await startCollectorProcess({ db: join(root, "bench.db") });
  writeFileSync(
    join(hooks, "slurm.env"),
    [
      `SNAPTRAIL_BIN=${join(hooks, "snaptrail")}`,
      `SNAPTRAIL_COLLECTOR=${collector.grpcAddress}`,
      `SNAPTRAIL_SLURM_ROOT_DIR=${join(root, "root-spool")}`,
      `SNAPTRAIL_SLURM_USER_DIR=${join(root, "user-%u")}`,
      "",
    ].join("\n"),
  );
  const cluster = await startSlurmCluster();
  try {
    // A real array task's environment, taken from inside it while it runs.
    const envFile = join(root, "task.env");
    const job = cluster.sbatch(["--array=0-1", "--gres=gpu:1", "--output=/dev/null"], `#!/bin/sh\nenv -0 > '${envFile}.tmp' && mv '${envFile}.tmp' '${envFile}'\nsleep 300\n`);
    if (!job.jobId) throw new Error(`sbatch failed: ${job.stderr}`);
    const deadline = Date.now() + 60_000;
    while (!existsSync(envFile)) {
      if (Date.now() > deadline) throw new Error(`the array task did not start\n${cluster.diagnostics()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const taskEnv = Object.fromEntries(
      readFileSync(envFile, "utf8")
        .split("\0")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    ) as NodeJS.ProcessEnv;
    // The Prolog and Epilog get slurmd's short list, not the task's environment.
    const rootEnv: NodeJS.ProcessEnv = {
      SLURM_JOB_ID: taskEnv.SLURM_JOB_ID,
      SLURM_JOB_UID: String(process.getuid!()),
      SLURM_JOB_USER: "root",
      SLURM_CLUSTER_NAME: taskEnv.SLURM_CLUSTER_NAME,
      SLURM_CONF: cluster.confPath,
      SLURM_JOB_EXIT_CODE: "0",
      SLURM_JOB_RESTART_COUNT: "0",
    };
    // Each hook is compared with `node -e 0` in its own environment: the task's (what sbatch
    // passed on) may set NODE_EXTRA_CA_CERTS, which Node 20 parses at every start, before any
    // script runs, where slurmd's short list for the Prolog and Epilog does not.
    const cases: { name: string; file: string; args: string[]; env: NodeJS.ProcessEnv }[] = [
      { name: "empty hook script (`exit 0`)", file: join(hooks, "empty.sh"), args: [], env: rootEnv },
      { name: NODE_ROOT, file: process.execPath, args: ["-e", "0"], env: rootEnv },
      { name: NODE_TASK, file: process.execPath, args: ["-e", "0"], env: taskEnv },
      { name: "prolog.sh", file: join(hooks, "prolog.sh"), args: [], env: rootEnv },
      { name: "task-prolog.sh (batch step, warm array cache)", file: join(hooks, "task-prolog.sh"), args: [], env: taskEnv },
      // A step's task inherits SNAPTRAIL_RUN_ID from the batch step's exports; without it (srun --export=NONE) the agent starts.
      { name: "task-prolog.sh (an srun step's task)", file: join(hooks, "task-prolog.sh"), args: [], env: { ...taskEnv, SLURM_STEP_ID: "0", SNAPTRAIL_RUN_ID: `slurm:${cluster.clusterName}/${taskEnv.SLURM_ARRAY_JOB_ID}_${taskEnv.SLURM_ARRAY_TASK_ID}` } },
      { name: "task-prolog.sh (a step's task, srun --export=NONE)", file: join(hooks, "task-prolog.sh"), args: [], env: { ...taskEnv, SLURM_STEP_ID: "0" } },
      { name: "epilog.sh", file: join(hooks, "epilog.sh"), args: [], env: rootEnv },
    ];
    const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
    for (let i = 0; i <= REPEATS; i++) {
      for (const c of cases) {
        const t = await timeSpawn(c.file, c.args, c.env, root);
        if (i > 0) times.get(c.name)!.push(t); // the first round fills the array cache and warms the page cache
      }
    }
    const baseOf = (env: NodeJS.ProcessEnv): number => median(times.get(env === rootEnv ? NODE_ROOT : NODE_TASK)!);
    const lines = [
      `### Slurm hooks: wall time each adds to a job (issue 13)`,
      "",
      `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? "?"}), Node ${process.version}, Slurm 22.05 one-node cluster, collector on loopback, median and p90 of ${REPEATS} runs; each hook as slurmd runs it (the wrapper script and the one-file agent bundle). The task's environment ${taskEnv.NODE_EXTRA_CA_CERTS === undefined ? "does not set" : "sets"} NODE_EXTRA_CA_CERTS.`,
      "",
      "| hook | median | p90 | × `node -e 0` (same environment) |",
      "|---|---:|---:|---:|",
      ...cases.map((c) => {
        const t = times.get(c.name)!;
        return `| ${c.name} | ${fmtMs(median(t))} | ${fmtMs(percentile(t, 90))} | ${(median(t) / baseOf(c.env)).toFixed(1)} |`;
      }),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await cluster.destroy();
    await collector.kill();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
