// One way for tests to run a real server process: every helper that starts one (ClickHouse, NATS,
// ZooKeeper, the collector, and the Slurm, sshd, Airflow and browser helpers to come) builds on it,
// so they all behave alike:
//
//   const dir = makeServerDir("nats");                      // a temp folder of its own
//   const server = await startServerProcess({
//     name: "nats-server", command, args, dir,
//     ready: async (s) => /Server is ready/.test(s.output()),  // polled until true
//     readyTimeoutMs: 15_000,
//   });
//   ...
//   await server.stop();                                    // SIGTERM, SIGKILL after a bound
//   removeServerDir(dir);                                   // kept when SNAPTRAIL_TEST_KEEP_DIRS=1
//
// A server that exits before it is ready, or is not ready within the bound, fails the test with
// the tail of what it printed: a missing or broken server is a failure, never a skip. Its stdout
// and stderr also go to <dir>/<name>.log, so a kept folder holds the log beside the data.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";

/** How a server process ended. */
export interface ServerExit {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** false when it went away without the helper's stop/kill: a crash or an outside kill. */
  expected: boolean;
}

export interface ServerProcessOptions {
  /** Names the server in messages and its log file: "nats-server". */
  name: string;
  command: string;
  args: readonly string[];
  /** Its working folder, where <name>.log goes (from makeServerDir). */
  dir: string;
  /** The whole environment; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Polled until it resolves true; gets the process, so it can look at what the server printed. */
  ready: (server: ServerProcess) => Promise<boolean> | boolean;
  /** How long the server may take to get ready before it is killed and the start fails. */
  readyTimeoutMs: number;
  pollMs?: number;
  /** What "ready" means, for the timeout message: "answer GET /ping". */
  readyMeans?: string;
  /** More for a failure message than the console output, e.g. the tail of the server's own log file. */
  diagnostics?: () => string;
  /** Characters of stdout and of stderr kept in memory (the newest); 1 MiB each by default. */
  keepChars?: number;
}

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** What it wrote on stdout, on stderr, and both interleaved: the newest `keepChars`. */
  stdout(): string;
  stderr(): string;
  output(maxChars?: number): string;
  /** How it ended, or undefined while it runs. */
  exitStatus(): ServerExit | undefined;
  /** Resolves when it ends, however it ends. */
  exited(): Promise<ServerExit>;
  /** SIGTERM by PID, then SIGKILL when it is still there after `timeoutMs`. Resolves when it has ended. */
  stop(timeoutMs?: number): Promise<ServerExit>;
  /** SIGKILL by PID: a crash, as far as the server can tell. */
  kill(): Promise<ServerExit>;
}

/** Whether SNAPTRAIL_TEST_KEEP_DIRS=1 asks to keep servers' folders (data and logs) for a look after a failure. */
export function keepServerDirs(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SNAPTRAIL_TEST_KEEP_DIRS === "1";
}

/** A new empty folder for one server: $TMPDIR/snaptrail-PREFIX-XXXXXX. */
export function makeServerDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `snaptrail-${prefix}-`));
}

/** Removes a server's folder, unless SNAPTRAIL_TEST_KEEP_DIRS=1 keeps it. */
export function removeServerDir(dir: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!keepServerDirs(env)) rmSync(dir, { recursive: true, force: true });
}

/** Throws, naming what to install, when `command` is neither an existing path nor on PATH. */
export function requireExecutable(command: string, install: string): void {
  const found = isAbsolute(command) ? spawnSync("test", ["-x", command]) : spawnSync("sh", ["-c", 'command -v "$1"', "sh", command]);
  if (found.status !== 0) throw new Error(`${command} not found: ${install}`);
}

/** The last `maxChars` of a file, or a note why there is none. */
export function fileTail(file: string, maxChars: number): string {
  try {
    return tail(readFileSync(file, "utf8"), maxChars);
  } catch (err) {
    return `(${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
}

function tail(text: string, maxChars: number): string {
  return text.length > maxChars ? `...${text.slice(-maxChars)}` : text;
}

/** Starts the server and resolves once `ready` says so; rejects, with its output, when it exits first or never gets ready. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const { name, readyTimeoutMs } = options;
  const keepChars = options.keepChars ?? 1 << 20;
  const log = openSync(join(options.dir, `${name}.log`), "a");
  const child = spawn(options.command, options.args, { cwd: options.dir, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let output = "";
  let logOpen = true;
  const capture = (into: "stdout" | "stderr") => (text: string) => {
    if (into === "stdout") stdout = (stdout + text).slice(-keepChars);
    else stderr = (stderr + text).slice(-keepChars);
    output = (output + text).slice(-keepChars);
    if (logOpen) writeSync(log, text);
  };
  child.stdout.setEncoding("utf8").on("data", capture("stdout"));
  child.stderr.setEncoding("utf8").on("data", capture("stderr"));
  child.once("close", () => {
    logOpen = false;
    closeSync(log);
  });

  let stopping = false;
  let exit: ServerExit | undefined;
  const ended = new Promise<ServerExit>((resolve) => {
    child.once("exit", (code, signal) => resolve((exit = { pid: child.pid, code, signal, expected: stopping })));
    // A command that cannot be started (not found, not executable) emits only "error".
    child.once("error", (err) => {
      capture("stderr")(`${err.message}\n`);
      if (child.pid === undefined) resolve((exit = { pid: undefined, code: null, signal: null, expected: stopping }));
    });
  });

  const signal = async (sig: NodeJS.Signals): Promise<ServerExit> => {
    if (exit === undefined && child.pid !== undefined) {
      stopping = true;
      try {
        process.kill(child.pid, sig);
      } catch (err) {
        // Ended between the check and the signal: its exit event is on its way.
        if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
      }
    }
    return ended;
  };

  const server: ServerProcess = {
    name,
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    output: (maxChars = keepChars) => tail(output, maxChars),
    exitStatus: () => exit,
    exited: () => ended,
    async stop(timeoutMs = 10_000) {
      const timer = setTimeout(() => void signal("SIGKILL"), timeoutMs);
      try {
        return await signal("SIGTERM");
      } finally {
        clearTimeout(timer);
      }
    },
    kill: () => signal("SIGKILL"),
  };

  const failure = (why: string): Error => {
    const extra = options.diagnostics?.();
    return new Error(`${name} ${why}\n--- its output\n${server.output(4000)}${extra ? `\n${extra}` : ""}`);
  };
  // No PID: it could not be started at all (its "error" event, on its way, says why).
  if (child.pid === undefined) {
    await ended;
    throw failure("could not be started");
  }
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    // A probe that hangs must not outlive the bound, and an exit ends the wait at once.
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      Promise.resolve()
        .then(() => options.ready(server))
        .then((ok) => (ok ? "ready" : "not yet"), () => "not yet"),
      ended.then(() => "exited"),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve("not yet"), Math.max(0, deadline - Date.now())))),
    ]);
    clearTimeout(timer);
    if (outcome === "ready" && exit === undefined) return server;
    if (exit !== undefined) {
      const { code, signal: sig } = exit;
      throw failure(`exited before it was ready (code ${code}, signal ${sig})`);
    }
    if (Date.now() >= deadline) {
      await server.kill();
      throw failure(`was not ready within ${readyTimeoutMs} ms${options.readyMeans ? ` (did not ${options.readyMeans})` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
}
