// Runs an orchestrator's command on a login node over SSH (ssh2, loaded lazily): `resubmit --via
// ssh://USER@HOST[:PORT]`. The host key is always checked against known_hosts (ssh2 accepts any key
// without a hostVerifier); the argv is joined with shell-quote, since sshd hands the command line
// to the user's login shell, which must be a POSIX one (sh, bash, zsh, ksh: csh and fish quote
// differently). One connection carries every run() until close().
import { randomBytes } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import { shellJoin } from "../../core/diff/shell-quote.js";
import { BadInputError, ConfigError, errorMessage, SnaptrailError, UnauthenticatedError, UnavailableError } from "../../core/errors.js";
import { checkArgv } from "../check-argv.js";
import type { CommandOutcome, CommandRunner, RunCommandOptions } from "../command-runner.js";
import { HostKeyPolicy } from "./host-key-policy.js";
import { readKnownHosts, recordedKeyTypes } from "./known-hosts.js";
import { loadSsh2, type Ssh2Channel, type Ssh2Client, type Ssh2Error } from "./load-ssh2.js";
import { planAuth } from "./ssh-auth.js";
import { formatHostPort, formatSshTarget, type SshTarget } from "./ssh-target.js";

export interface SshCommandRunnerOptions {
  target: SshTarget;
  /** Private key files to offer; default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, those that exist. */
  identityFiles?: readonly string[];
  /** For encrypted key files; without it they are skipped (the agent may hold them). */
  passphrase?: string;
  /** ssh-agent's socket; default SSH_AUTH_SOCK; null: no agent. */
  agentSocket?: string | null;
  /** Default ~/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Add the key of a host with NO key on record to known_hosts and go on; a changed key is still refused. */
  trustNewHostKey?: boolean;
  /** Write a trusted key hashed (`|1|...`, as ssh-keygen -H), the default, or with the plain host name. */
  hashKnownHosts?: boolean;
  /** How a person asks to trust a new key, for refusal messages. */
  trustHint?: string;
  /** Bound on reaching the host, its handshake and authentication. */
  connectTimeoutMs?: number;
  /** After a run's timeoutMs and the SIGTERM to its process group, how long until SIGKILL; and as long again after that until the run ends without an exit status. */
  killGraceMs?: number;
}

const DEFAULTS = {
  connectTimeoutMs: 15_000,
  killGraceMs: 5_000,
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 4,
  trustNewHostKey: false,
  hashKnownHosts: true,
  trustHint: "--trust-new-host-key",
} as const;

// ssh2's host key algorithms, most preferred first; those a host has on record are asked for first,
// as ssh(1) does, so a host with several keys shows the one we know rather than look "changed".
const HOST_KEY_ALGORITHMS = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];
const ALGORITHMS_OF_KEY_TYPE: Readonly<Record<string, readonly string[]>> = { "ssh-rsa": ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] };

function hostKeyAlgorithms(recordedTypes: readonly string[]): string[] {
  const first = recordedTypes.flatMap((t) => ALGORITHMS_OF_KEY_TYPE[t] ?? [t]).filter((a) => HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...first, ...HOST_KEY_ALGORITHMS])];
}

/** ssh2's non-fatal errors: it reports them and goes on to the next key. */
function isPassing(err: Ssh2Error): boolean {
  return err.level === "agent" || (err.level === "client-authentication" && !/All configured authentication methods failed/.test(err.message));
}

export class SshCommandRunner implements CommandRunner {
  readonly where: string;
  readonly #options: SshCommandRunnerOptions;
  #client: Promise<Ssh2Client> | undefined;

  constructor(options: SshCommandRunnerOptions) {
    this.#options = options;
    this.where = formatSshTarget(options.target);
  }

  async run(argv: readonly string[], options: RunCommandOptions = {}): Promise<CommandOutcome> {
    checkArgv(argv, options.env);
    const env = Object.entries(options.env ?? {});
    // sshd's AcceptEnv is usually off, so variables travel as `env -- NAME=value ... argv`.
    if (env.length > 0 && argv[0]?.includes("=")) throw new BadInputError(`command ${JSON.stringify(argv[0])} holds "=", which env would read as a variable`);
    const command = shellJoin(env.length > 0 ? ["env", "--", ...env.map(([name, value]) => `${name}=${value}`), ...argv] : argv);
    const client = await this.#connection();
    // With a timeout, the shell first prints its PID (which sshd made a session and process group
    // leader) on stderr, after a marker of this run, so the timeout can kill the whole group
    // through a second channel. An SSH "signal" request would be simpler, but sshd ignores it for
    // root logins (no privilege separation after auth), and ssh2 sends none once stdin is closed.
    const pidMarker = options.timeoutMs === undefined ? undefined : `snaptrail-pid-${randomBytes(6).toString("hex")}:`;
    const channel = await this.#exec(client, pidMarker === undefined ? command : `echo ${pidMarker}$$ >&2; ${command}`);
    return this.#collect(client, channel, pidMarker, options);
  }

  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    if (pending === undefined) return;
    let client: Ssh2Client;
    try {
      client = await pending;
    } catch {
      return;
    }
    await new Promise<void>((resolve) => {
      client.once("close", () => resolve());
      client.end();
    });
  }

  #exec(client: Ssh2Client, command: string): Promise<Ssh2Channel> {
    return new Promise<Ssh2Channel>((resolve, reject) => {
      const refused = (err: Error): void => reject(new UnavailableError(`${this.where} could not run a command: ${err.message}`, { cause: err }));
      try {
        client.exec(command, (err, channel) => (err ? refused(err) : resolve(channel)));
      } catch (err) {
        // ssh2 throws when the connection closed since we last looked.
        refused(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Signals a remote process group through its own channel, resolving once `kill` has run; best effort. */
  async #killGroup(client: Ssh2Client, pid: string, signal: "TERM" | "KILL"): Promise<void> {
    try {
      const channel = await this.#exec(client, shellJoin(["kill", `-${signal}`, "--", `-${pid}`]));
      await new Promise<void>((resolve) => {
        channel.once("close", () => resolve());
        channel.resume();
        channel.stderr.resume();
        channel.end();
      });
    } catch {
      // The connection is gone: so is every command on it that sshd could end.
    }
  }

  #collect(client: Ssh2Client, channel: Ssh2Channel, pidMarker: string | undefined, options: RunCommandOptions): Promise<CommandOutcome> {
    const killGraceMs = this.#options.killGraceMs ?? DEFAULTS.killGraceMs;
    return new Promise<CommandOutcome>((resolve, reject) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let exitCode: number | null | undefined;
      let signal: string | null = null;
      let done = false;
      const stderrText = (): string => Buffer.concat(stderr).toString("utf8");
      /** The PID line, when a marker asked for one and it has arrived; a login shell's rc files may print before it. */
      const pidLine = (): { pid: string; rest: string } | undefined => {
        if (pidMarker === undefined) return undefined;
        const text = stderrText();
        const at = text.indexOf(pidMarker);
        const match = at === -1 ? null : /^(\d+)\n/.exec(text.slice(at + pidMarker.length));
        return match?.[1] === undefined ? undefined : { pid: match[1], rest: text.slice(0, at) + text.slice(at + pidMarker.length + match[0].length) };
      };
      const output = () => ({ stdout: Buffer.concat(stdout).toString("utf8"), stderr: pidLine()?.rest ?? stderrText() });
      const finish = (outcome: () => void): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearTimeout(killTimer);
        outcome();
      };
      // The PID arrives first on stderr, but under load it can come after the timeout has fired.
      let pid: string | undefined;
      let killWith: "TERM" | "KILL" | undefined;
      const killNow = (): Promise<void> => (pid !== undefined && killWith !== undefined ? this.#killGroup(client, pid, killWith) : Promise.resolve());
      channel.on("data", (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on("data", (chunk: Buffer) => {
        stderr.push(chunk);
        if (pidMarker !== undefined && pid === undefined) {
          pid = pidLine()?.pid;
          void killNow();
        }
      });
      channel.on("exit", (code: number | null, sig?: string) => {
        exitCode = code;
        signal = sig ?? null;
      });
      let timer: NodeJS.Timeout | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          killWith = "TERM";
          void killNow();
          killTimer = setTimeout(() => {
            killWith = "KILL";
            // Without an exit status a while after the KILL has run, say what we did rather than
            // wait on the host forever.
            void killNow().then(() => {
              if (done) return;
              killTimer = setTimeout(() => {
                channel.close();
                finish(() => resolve({ exitCode: null, signal: "SIGKILL", ...output() }));
              }, killGraceMs);
            });
          }, killGraceMs);
        }, options.timeoutMs);
      }
      channel.once("close", () =>
        finish(() => {
          if (exitCode !== undefined) resolve({ exitCode, signal, ...output() });
          else reject(new UnavailableError(`the connection to ${this.where} ended before the command did; it may still be running there`));
        }),
      );
      channel.end(options.stdin ?? "");
    });
  }

  #connection(): Promise<Ssh2Client> {
    if (this.#client === undefined) {
      // A connection that fails or later drops is forgotten, so the next run() opens a new one.
      const forget = (): void => {
        if (this.#client === pending) this.#client = undefined;
      };
      const pending: Promise<Ssh2Client> = this.#connect(forget).catch((err: unknown) => {
        forget();
        throw err;
      });
      this.#client = pending;
    }
    return this.#client;
  }

  async #connect(onClosed: () => void): Promise<Ssh2Client> {
    const o = this.#options;
    const { user, host, port } = o.target;
    const hostPort = formatHostPort(o.target);
    const ssh2 = await loadSsh2();
    const knownHostsFile = o.knownHostsFile ?? join(homedir(), ".ssh", "known_hosts");
    const knownHosts = await readKnownHosts(knownHostsFile);
    const policy = new HostKeyPolicy({
      host,
      port,
      knownHosts,
      knownHostsFile,
      trustNewHostKey: o.trustNewHostKey ?? DEFAULTS.trustNewHostKey,
      hashKnownHosts: o.hashKnownHosts ?? DEFAULTS.hashKnownHosts,
      trustHint: o.trustHint ?? DEFAULTS.trustHint,
    });
    const agentSocket = o.agentSocket === null ? undefined : (o.agentSocket ?? (process.env.SSH_AUTH_SOCK || undefined));
    const auth = await planAuth(ssh2, { username: user, identityFiles: o.identityFiles, passphrase: o.passphrase, agentSocket });
    const notes = (): string => (auth.notes.length > 0 ? `; ${auth.notes.join("; ")}` : "");
    if (auth.methods.length === 0) {
      throw new UnauthenticatedError(`no SSH key to offer ${user}@${hostPort}: no ssh-agent (SSH_AUTH_SOCK) and no usable key file${notes()}`);
    }

    const client = new ssh2.Client();
    return new Promise<Ssh2Client>((resolve, reject) => {
      let settled = false;
      let lastError: Ssh2Error | undefined;
      let trustWritten: Promise<unknown> = Promise.resolve();
      const fail = (err: SnaptrailError): void => {
        if (settled) return;
        settled = true;
        client.destroy();
        reject(err);
      };
      const classify = (err: Ssh2Error | undefined): SnaptrailError => {
        if (policy.refusal) return policy.refusal;
        const why = err?.message ?? "the connection closed";
        if (err?.level === "client-authentication") {
          return new UnauthenticatedError(`${user}@${hostPort} refused every key offered (${auth.offered.join(", ")})${notes()}`, { cause: err });
        }
        return new UnavailableError(`cannot reach ${hostPort} over SSH: ${why}`, { cause: err });
      };
      let next = 0;
      client.on("error", (err: Ssh2Error) => {
        lastError = err;
        if (!settled && !isPassing(err)) fail(classify(err));
      });
      client.on("handshake", () => {
        // Caught here, reported at "ready": authentication may fail first, and nobody would await it.
        trustWritten = policy.afterHandshake().then(
          () => undefined,
          (err: unknown) => new ConfigError(`could not add the host key of ${hostPort} to ${knownHostsFile}: ${errorMessage(err)}`, { cause: err }),
        );
      });
      client.once("ready", () => {
        void trustWritten.then((writeError) => {
          if (writeError instanceof ConfigError) return fail(writeError);
          if (settled) return;
          settled = true;
          resolve(client);
        });
      });
      client.on("close", () => {
        onClosed();
        fail(classify(lastError));
      });
      client.connect({
        host,
        port,
        username: user,
        readyTimeout: o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
        keepaliveInterval: DEFAULTS.keepaliveIntervalMs,
        keepaliveCountMax: DEFAULTS.keepaliveCountMax,
        hostVerifier: (key) => policy.verify(key),
        authHandler: (_left, _partial, done) => done(auth.methods[next++] ?? false),
        algorithms: { serverHostKey: hostKeyAlgorithms(recordedKeyTypes(knownHosts, host, port)) },
      });
    });
  }
}
