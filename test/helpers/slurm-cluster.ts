// Starts a real one-node Slurm cluster (Debian's 22.05: munged, slurmctld, slurmd, and slurmrestd
// on request) in a temp folder of its own, on free loopback ports, with two fake GPUs, and stops
// every daemon by PID. No systemd, no cgroups: the facts that make this work on these machines are
// in shared/notes/test-services.md. A missing binary throws: in CI a missing Slurm is a failure,
// never a skip (.ci/run installs the packages).
//
//   const cluster = await startSlurmCluster({ taskProlog: "/path/task-prolog.sh" });
//   const job = cluster.sbatch(["--gres=gpu:2"], "#!/bin/sh\necho $CUDA_VISIBLE_DEVICES\n");
//   const done = await cluster.waitForJob(job.jobId!);   // { jobState: "COMPLETED", exitCode: "0:0", ... }
//   await cluster.destroy();
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { parseScontrolLine } from "../../core/slurm/parse-scontrol-line.js";
import { freePort } from "./free-port.js";
import { fileTail, makeServerDir, removeServerDir, requireExecutable, startServerProcess, type ServerProcess } from "./server-process.js";

const INSTALL = "install Debian's slurmctld slurmd slurm-client munge (and slurmrestd slurm-wlm-jwt-plugin for rest: true); .ci/run does";

/** States after which a job never runs again on its own (a requeue aside). */
export const FINAL_JOB_STATES: ReadonlySet<string> = new Set([
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMEOUT",
  "NODE_FAIL",
  "PREEMPTED",
  "BOOT_FAIL",
  "DEADLINE",
  "OUT_OF_MEMORY",
]);

export interface SlurmClusterOptions {
  /** Absolute paths of hook scripts, as slurm.conf's Prolog, Epilog and TaskProlog (executable). */
  prolog?: string;
  epilog?: string;
  taskProlog?: string;
  /** More slurm.conf lines, appended last (a later line wins for most keys). */
  extra?: readonly string[];
  /** Also start slurmrestd with JWT on a free loopback port. */
  rest?: boolean;
  /** slurm.conf's ClusterName: "snaptrail" by default. */
  clusterName?: string;
  /** The one partition's name: "debug" by default. */
  partition?: string;
  /** Bound for each daemon to get ready. */
  startTimeoutMs?: number;
}

export interface SbatchResult {
  /** sbatch's exit status. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** From "Submitted batch job N" (or a --parsable answer); undefined when sbatch refused. */
  jobId: string | undefined;
}

export interface SlurmJobRecord {
  jobId: string;
  /** JobState from `scontrol show job`, e.g. COMPLETED, FAILED. */
  jobState: string;
  /** ExitCode, "status:signal", e.g. "0:0". */
  exitCode: string;
  /** Every KEY=VALUE field of `scontrol show job -o` (for WorkDir, TresPerNode, StdOut ...). */
  fields: Record<string, string>;
}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface SlurmCluster {
  /** Its temp folder: configuration, state, spool, logs, fake GPU devices. */
  dir: string;
  /** The short host name, which is also the node's name. */
  nodeName: string;
  clusterName: string;
  partition: string;
  /** process.env without inherited SLURM_* variables, plus SLURM_CONF: pass it to sbatch, scontrol, the hooks. */
  env: NodeJS.ProcessEnv;
  confPath: string;
  /** SlurmdSpoolDir: the batch script is at <spoolDir>/job%05d/slurm_script while the job runs. */
  spoolDir: string;
  /** The munge socket (`munge -S`, `unmunge -S`). */
  mungeSocket: string;
  /** Where jobs start unless told otherwise (sbatch runs there). */
  jobsDir: string;
  slurmctldPort: number;
  slurmdPort: number;
  /** http://127.0.0.1:PORT of slurmrestd with rest: true; undefined otherwise. */
  restUrl: string | undefined;
  /** The JWT key file (rest: true). */
  jwtKeyPath: string | undefined;
  /** `sbatch ARGS` with the script on stdin, in jobsDir (or opts.cwd), with `env` (plus opts.env). */
  sbatch(args: readonly string[], script: string, opts?: { cwd?: string; env?: NodeJS.ProcessEnv }): SbatchResult;
  /** Runs a Slurm client command (scontrol, squeue, sinfo, scancel, sacct ...) against this cluster. */
  command(name: string, args: readonly string[], opts?: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): CommandResult;
  /** `scontrol show job -o ID`, parsed; undefined once Slurm has forgotten the job (or never knew it). */
  showJob(jobId: string): SlurmJobRecord | undefined;
  /** Polls `scontrol show job` until a final state; throws with diagnostics after `timeoutMs` (60 s). */
  waitForJob(jobId: string, timeoutMs?: number): Promise<SlurmJobRecord>;
  /** The node's state from `sinfo -h -o %T`: "idle", "drained", "mixed" ... */
  nodeState(): string;
  /** A JWT from `scontrol token` (rest: true only): the value for X-SLURM-USER-TOKEN. */
  token(user?: string, lifespanS?: number): string;
  /** Logs of every daemon and the node's state: for a failing test's message. */
  diagnostics(): string;
  /** Cancels what still runs, stops every daemon by PID, removes the folder (kept with SNAPTRAIL_TEST_KEEP_DIRS=1). */
  destroy(): Promise<void>;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, opts: { input?: string; cwd?: string; timeoutMs?: number } = {}): CommandResult {
  const r: SpawnSyncReturns<string> = spawnSync(command, args, {
    env,
    cwd: opts.cwd,
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 30_000,
  });
  const spawnError = r.error ? `${r.error.message}\n` : "";
  return { status: r.status, stdout: r.stdout ?? "", stderr: spawnError + (r.stderr ?? "") };
}

/** The one parser of `scontrol show job -o` lines, shared with the agent. */
export { parseScontrolLine } from "../../core/slurm/parse-scontrol-line.js";

function slurmConf(o: {
  clusterName: string;
  nodeName: string;
  partition: string;
  dir: string;
  spoolDir: string;
  mungeSocket: string;
  slurmctldPort: number;
  slurmdPort: number;
  jwtKeyPath: string | undefined;
  options: SlurmClusterOptions;
}): string {
  const d = o.dir;
  const lines = [
    `ClusterName=${o.clusterName}`,
    `SlurmctldHost=${o.nodeName}(127.0.0.1)`,
    `SlurmctldPort=${o.slurmctldPort}`,
    `SlurmdPort=${o.slurmdPort}`,
    "SlurmUser=root",
    "SlurmdUser=root",
    "AuthType=auth/munge",
    `AuthInfo=socket=${o.mungeSocket}`,
    ...(o.jwtKeyPath ? ["AuthAltTypes=auth/jwt", `AuthAltParameters=jwt_key=${o.jwtKeyPath}`] : []),
    `StateSaveLocation=${join(d, "state")}`,
    `SlurmdSpoolDir=${o.spoolDir}`,
    `SlurmctldPidFile=${join(d, "slurmctld.pid")}`,
    `SlurmdPidFile=${join(d, "slurmd.pid")}`,
    `SlurmctldLogFile=${join(d, "slurmctld-own.log")}`,
    `SlurmdLogFile=${join(d, "slurmd-own.log")}`,
    "SlurmctldDebug=info",
    "SlurmdDebug=info",
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "SwitchType=switch/none",
    "MpiDefault=none",
    "JobAcctGatherType=jobacct_gather/none",
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_Core",
    "GresTypes=gpu",
    "AccountingStorageType=accounting_storage/none",
    "JobCompType=jobcomp/filetxt",
    `JobCompLoc=${join(d, "jobcomp.txt")}`,
    "MailProg=/bin/true",
    `PlugStackConfig=${join(d, "plugstack.conf")}`,
    // The node takes what slurm.conf says, whatever the machine has (a CI box with 16 cores or 1 GB).
    "SlurmdParameters=config_overrides",
    "ReturnToService=2",
    // Keep finished jobs in slurmctld's memory long enough for tests to read them.
    "MinJobAge=600",
    // A restarted slurmd must not wait for the usual minutes before the node is used again.
    "SlurmdTimeout=30",
    ...(o.options.prolog ? [`Prolog=${o.options.prolog}`] : []),
    ...(o.options.epilog ? [`Epilog=${o.options.epilog}`] : []),
    ...(o.options.prolog || o.options.epilog ? ["PrologFlags=Alloc"] : []),
    ...(o.options.taskProlog ? [`TaskProlog=${o.options.taskProlog}`] : []),
    `NodeName=${o.nodeName} NodeAddr=127.0.0.1 CPUs=2 RealMemory=1024 Gres=gpu:2 State=UNKNOWN`,
    `PartitionName=${o.partition} Nodes=${o.nodeName} Default=YES MaxTime=INFINITE State=UP`,
    ...(o.options.extra ?? []),
  ];
  return `${lines.join("\n")}\n`;
}

export async function startSlurmCluster(options: SlurmClusterOptions = {}): Promise<SlurmCluster> {
  for (const bin of ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo", "squeue", "scancel", "mknod"]) requireExecutable(bin, INSTALL);
  if (options.rest) requireExecutable("slurmrestd", INSTALL);
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const nodeName = hostname().split(".")[0]!;
  const clusterName = options.clusterName ?? "snaptrail";
  const partition = options.partition ?? "debug";
  const dir = makeServerDir("slurm");
  // munged wants its socket's folder and every parent at 755; jobs of other users read slurm.conf.
  chmodSync(dir, 0o755);
  const spoolDir = join(dir, "slurmd-spool");
  const jobsDir = join(dir, "jobs");
  const mungeDir = join(dir, "munge");
  for (const d of [join(dir, "state"), spoolDir, jobsDir, mungeDir]) mkdirSync(d, { mode: 0o755 });
  chmodSync(jobsDir, 0o1777);
  const mungeSocket = join(mungeDir, "munge.socket.2");
  const confPath = join(dir, "slurm.conf");
  const daemons: ServerProcess[] = [];
  const baseEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SLURM_") && k !== "SLURMRESTD_SECURITY"));
  const env: NodeJS.ProcessEnv = { ...baseEnv, SLURM_CONF: confPath };
  let restUrl: string | undefined;
  let jwtKeyPath: string | undefined;
  let slurmctldPort = 0;
  let slurmdPort = 0;

  const logs = (): string =>
    [
      ["munged", join(mungeDir, "munged.log")],
      ["slurmctld", join(dir, "slurmctld-own.log")],
      ["slurmd", join(dir, "slurmd-own.log")],
      ["slurmrestd", join(dir, "slurmrestd.log")],
    ]
      .map(([name, file]) => `--- ${name} (${file})\n${fileTail(file!, 4000)}`)
      .join("\n");
  const diagnostics = (): string => {
    const nodes = run("scontrol", ["show", "node"], env, { timeoutMs: 5000 });
    const queue = run("squeue", ["-a", "-o", "%i %T %r %N"], env, { timeoutMs: 5000 });
    return `${logs()}\n--- scontrol show node\n${nodes.stdout}${nodes.stderr}\n--- squeue\n${queue.stdout}${queue.stderr}`;
  };
  const stopAll = async (): Promise<void> => {
    for (const d of [...daemons].reverse()) await d.stop(5000);
    daemons.length = 0;
  };

  try {
    // Two fake GPUs: gres.conf wants character devices; regular files are refused.
    const devices = [0, 1].map((i) => join(dir, `nvidia${i}`));
    for (const [i, dev] of devices.entries()) {
      const r = run("mknod", ["-m", "666", dev, "c", "195", String(i)], env);
      if (r.status !== 0) throw new Error(`mknod ${dev} failed (needs root): ${r.stderr}`);
    }
    writeFileSync(join(dir, "gres.conf"), `AutoDetect=off\nNodeName=${nodeName} Name=gpu File=${join(dir, "nvidia[0-1]")}\n`);
    writeFileSync(join(dir, "plugstack.conf"), "");

    const key = join(mungeDir, "munge.key");
    const made = run("mungekey", ["--create", `--keyfile=${key}`], env);
    if (made.status !== 0) throw new Error(`mungekey failed: ${made.stderr}`);
    if (options.rest) {
      jwtKeyPath = join(dir, "state", "jwt_hs256.key");
      writeFileSync(jwtKeyPath, randomBytes(32), { mode: 0o600 });
    }
    slurmctldPort = await freePort();
    slurmdPort = await freePort();
    while (slurmdPort === slurmctldPort) slurmdPort = await freePort();
    writeFileSync(confPath, slurmConf({ clusterName, nodeName, partition, dir, spoolDir, mungeSocket, slurmctldPort, slurmdPort, jwtKeyPath, options }), { mode: 0o644 });

    daemons.push(
      await startServerProcess({
        name: "munged",
        command: "munged",
        args: [
          "--foreground",
          "--force",
          `--socket=${mungeSocket}`,
          `--key-file=${key}`,
          `--log-file=${join(mungeDir, "munged.log")}`,
          `--pid-file=${join(mungeDir, "munged.pid")}`,
          `--seed-file=${join(mungeDir, "munged.seed")}`,
        ],
        dir: mungeDir,
        env: baseEnv,
        ready: () => run("munge", ["-S", mungeSocket, "-n"], baseEnv, { timeoutMs: 2000 }).status === 0,
        readyMeans: `answer on ${mungeSocket}`,
        readyTimeoutMs: startTimeoutMs,
        pollMs: 100,
      }),
    );

    const ctld = await startServerProcess({
      name: "slurmctld",
      command: "slurmctld",
      args: ["-D", "-c", "-i", "-f", confPath],
      dir,
      env,
      ready: () => run("scontrol", ["ping"], env, { timeoutMs: 3000 }).stdout.includes("UP"),
      readyMeans: "answer scontrol ping",
      readyTimeoutMs: startTimeoutMs,
      pollMs: 200,
      diagnostics: logs,
    });
    daemons.push(ctld);
    daemons.push(
      await startServerProcess({
        name: "slurmd",
        command: "slurmd",
        args: ["-D", "-f", confPath],
        dir,
        env,
        ready: () => run("sinfo", ["-h", "-o", "%T"], env, { timeoutMs: 3000 }).stdout.trim() === "idle",
        readyMeans: "show the node idle in sinfo",
        readyTimeoutMs: startTimeoutMs,
        pollMs: 200,
        diagnostics,
      }),
    );
    // slurmctld can answer a ping and still die of a fatal config moments later: its log says so.
    const ctldLog = fileTail(join(dir, "slurmctld-own.log"), 1 << 20);
    if (/\bfatal\b/i.test(ctldLog) || ctld.exitStatus()) throw new Error(`slurmctld reported a fatal error\n${diagnostics()}`);

    if (options.rest) {
      const restPort = await freePort();
      restUrl = `http://127.0.0.1:${restPort}`;
      const probeToken = (): string => tokenFor("root", 60);
      daemons.push(
        await startServerProcess({
          name: "slurmrestd",
          command: "slurmrestd",
          // 22.05 refuses to run as root or SlurmUser; the check runs after it drops privileges.
          // Only the slurmctld API: the dbv0.0.38 plugins die without slurmdbd, which this cluster does not run.
          args: ["-f", confPath, "-s", "v0.0.38", "-u", "nobody", "-g", "nogroup", `127.0.0.1:${restPort}`],
          dir,
          env: { ...env, SLURM_JWT: "daemon" },
          ready: async () => {
            const res = await fetch(`${restUrl}/slurm/v0.0.38/ping`, {
              headers: { "X-SLURM-USER-NAME": "root", "X-SLURM-USER-TOKEN": probeToken() },
              signal: AbortSignal.timeout(3000),
            });
            await res.text();
            return res.status === 200;
          },
          readyMeans: "answer GET /slurm/v0.0.38/ping with a JWT",
          readyTimeoutMs: startTimeoutMs,
          pollMs: 200,
          diagnostics: logs,
        }),
      );
    }
  } catch (err) {
    await stopAll();
    removeServerDir(dir);
    throw err;
  }

  function tokenFor(user: string, lifespanS: number): string {
    if (!jwtKeyPath) throw new Error("token() needs a cluster started with rest: true (JWT is configured only then)");
    const r = run("scontrol", ["token", `username=${user}`, `lifespan=${lifespanS}`], env, { timeoutMs: 10_000 });
    const m = /SLURM_JWT=(\S+)/.exec(r.stdout);
    if (r.status !== 0 || !m) throw new Error(`scontrol token failed (${r.status}): ${r.stdout}${r.stderr}`);
    return m[1]!;
  }

  const command = (name: string, args: readonly string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): CommandResult =>
    run(name, args, { ...env, ...opts.env }, { input: opts.input, timeoutMs: opts.timeoutMs, cwd: jobsDir });

  const showJob = (jobId: string): SlurmJobRecord | undefined => {
    const r = command("scontrol", ["show", "job", "-o", jobId], { timeoutMs: 10_000 });
    if (r.status !== 0) return undefined;
    const line = r.stdout.split("\n").find((l) => l.startsWith("JobId="));
    if (!line) return undefined;
    const fields = parseScontrolLine(line);
    return { jobId: fields.JobId ?? jobId, jobState: fields.JobState ?? "", exitCode: fields.ExitCode ?? "", fields };
  };

  return {
    dir,
    nodeName,
    clusterName,
    partition,
    env,
    confPath,
    spoolDir,
    mungeSocket,
    jobsDir,
    slurmctldPort,
    slurmdPort,
    restUrl,
    jwtKeyPath,
    sbatch(args, script, opts = {}) {
      const r = run("sbatch", args, { ...env, ...opts.env }, { input: script, cwd: opts.cwd ?? jobsDir });
      const m = /Submitted batch job (\d+)/.exec(r.stdout) ?? /^(\d+)(?:;\S*)?\s*$/m.exec(r.stdout);
      return { ...r, jobId: r.status === 0 && m ? m[1] : undefined };
    },
    command,
    showJob,
    async waitForJob(jobId, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last: SlurmJobRecord | undefined;
      for (;;) {
        last = showJob(jobId);
        if (last && FINAL_JOB_STATES.has(last.jobState)) return last;
        if (Date.now() >= deadline) {
          throw new Error(`job ${jobId} did not reach a final state within ${timeoutMs} ms (last: ${last ? last.jobState : "unknown to slurmctld"})\n${diagnostics()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    nodeState: () => command("sinfo", ["-h", "-o", "%T"], { timeoutMs: 10_000 }).stdout.trim(),
    token: (user = "root", lifespanS = 1800) => tokenFor(user, lifespanS),
    diagnostics,
    async destroy() {
      // Jobs left running would outlive slurmd in their slurmstepd: cancel them and wait, bounded.
      if (daemons.length > 0) {
        const ids = command("squeue", ["-h", "-a", "-o", "%A"], { timeoutMs: 5000 }).stdout.split("\n").filter((l) => /^\d+$/.test(l.trim()));
        if (ids.length > 0) command("scancel", ["--quiet", ...ids.map((l) => l.trim())], { timeoutMs: 5000 });
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline && command("squeue", ["-h", "-a", "-t", "RUNNING,COMPLETING"], { timeoutMs: 5000 }).stdout.trim() !== "") {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      await stopAll();
      removeServerDir(dir);
    },
  };
}
