// Starts a real OpenSSH sshd (Debian's openssh-server) on a free loopback port in a temp folder of
// its own: its own host key, its own authorized_keys holding a client key made with ssh-keygen, and
// a known_hosts file that trusts it, for the client side. Stopped by PID through server-process.ts.
// A missing sshd or ssh-keygen throws: in CI a missing server is a failure, never a skip.
//
//   const sshd = await startSshd();
//   // ssh://${sshd.user}@127.0.0.1:${sshd.port}, key sshd.clientKeyFile, known_hosts sshd.knownHostsFile
//   await sshd.destroy();
import { spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { greets } from "./greets.js";
import { makeServerDir, removeServerDir, requireExecutable, startServerProcess, type ServerProcess } from "./server-process.js";

export const SSHD_BINARY = process.env.SNAPTRAIL_TEST_SSHD ?? "/usr/sbin/sshd";
export const SSH_KEYGEN = "ssh-keygen";
const INSTALL = "install Debian's openssh-server and openssh-client (.ci/run does) to run the SSH tests";

export type SshKeyType = "ed25519" | "ecdsa" | "rsa";

export interface SshKeyPair {
  /** The private key file (OpenSSH format, mode 0600). */
  privateKeyFile: string;
  publicKeyFile: string;
  /** The public key line: "ssh-ed25519 AAAA... comment". */
  publicKey: string;
}

/** A key pair made by the real ssh-keygen, optionally encrypted with a passphrase. */
export function makeKeyPair(dir: string, name: string, options: { type?: SshKeyType; passphrase?: string; comment?: string } = {}): SshKeyPair {
  requireExecutable(SSH_KEYGEN, INSTALL);
  const privateKeyFile = join(dir, name);
  const type = options.type ?? "ed25519";
  const args = ["-q", "-t", type, "-N", options.passphrase ?? "", "-C", options.comment ?? `snaptrail-test-${name}`, "-f", privateKeyFile];
  if (type === "rsa") args.push("-b", "2048");
  const made = spawnSync(SSH_KEYGEN, args, { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`ssh-keygen ${args.join(" ")} failed: ${made.stderr}`);
  chmodSync(privateKeyFile, 0o600);
  const publicKeyFile = `${privateKeyFile}.pub`;
  return { privateKeyFile, publicKeyFile, publicKey: readFileSync(publicKeyFile, "utf8").trim() };
}

export interface SshdOptions {
  port?: number;
  /** The host key's type; ed25519 by default. */
  hostKeyType?: SshKeyType;
  /** More sshd_config lines; they come first, so they win over the helper's own (sshd keeps a keyword's first value). */
  extraConfig?: readonly string[];
  startTimeoutMs?: number;
}

export interface Sshd {
  /** Its folder: sshd_config, keys, authorized_keys, known_hosts, sshd.log. */
  dir: string;
  host: "127.0.0.1";
  port: number;
  /** The user the tests log in as: whoever runs them (root on CI). */
  user: string;
  /** ssh://USER@127.0.0.1:PORT */
  url: string;
  /** The server's host key pair; its public line is what known_hosts should hold. */
  hostKey: SshKeyPair;
  /** A client key pair whose public key is in authorized_keys. */
  clientKey: SshKeyPair;
  authorizedKeysFile: string;
  /** A known_hosts file with one plain line for `[127.0.0.1]:PORT` and the host key. */
  knownHostsFile: string;
  /** The known_hosts line that trusts this server: "[127.0.0.1]:PORT ssh-ed25519 AAAA...". */
  knownHostsLine: string;
  /** Adds a public key line to authorized_keys (sshd reads the file at each login). */
  authorize(publicKey: string): void;
  pid(): number | undefined;
  /** What sshd logged (-e sends its log to stderr), the newest 8 KB. */
  output(): string;
  stop(): Promise<void>;
  /** Stops it and removes its folder (kept when SNAPTRAIL_TEST_KEEP_DIRS=1). */
  destroy(): Promise<void>;
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  requireExecutable(SSHD_BINARY, INSTALL);
  requireExecutable(SSH_KEYGEN, INSTALL);
  // sshd's privilege separation folder; it refuses to start without it (no systemd made it here).
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const port = options.port ?? (await freePort());
  const dir = makeServerDir("sshd");
  let server: ServerProcess | undefined;
  try {
    const hostKey = makeKeyPair(dir, "ssh_host_key", { type: options.hostKeyType ?? "ed25519", comment: "" });
    const clientKey = makeKeyPair(dir, "client_key");
    const authorizedKeysFile = join(dir, "authorized_keys");
    writeFileSync(authorizedKeysFile, `${clientKey.publicKey}\n`, { mode: 0o600 });
    const [keyType, keyBase64] = hostKey.publicKey.split(" ");
    const knownHostsLine = `[127.0.0.1]:${port} ${keyType} ${keyBase64}`;
    const knownHostsFile = join(dir, "known_hosts");
    writeFileSync(knownHostsFile, `${knownHostsLine}\n`, { mode: 0o600 });
    const config = join(dir, "sshd_config");
    writeFileSync(
      config,
      [
        // sshd takes the FIRST value of a keyword, so the caller's lines go first to override ours.
        ...(options.extraConfig ?? []),
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${hostKey.privateKeyFile}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${authorizedKeysFile}`,
        "PermitRootLogin prohibit-password",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        // The keys sit under the temp folder, whose modes sshd's StrictModes would refuse.
        "StrictModes no",
        "LogLevel VERBOSE",
        "Subsystem sftp internal-sftp",
        // Tests open several connections at once; the default 10:30:100 drops some under load.
        "MaxStartups 100",
        "",
      ].join("\n"),
    );
    server = await startServerProcess({
      name: "sshd",
      command: SSHD_BINARY,
      // -D: stay in the foreground, so the PID we hold is sshd's; -e: log to stderr (and so to sshd.log).
      args: ["-D", "-e", "-f", config],
      dir,
      ready: () => greets(port, "SSH-2.0-"),
      readyMeans: `answer with an SSH banner on 127.0.0.1:${port}`,
      readyTimeoutMs: options.startTimeoutMs ?? 15_000,
      keepChars: 8000,
    });
    const running = server;
    const user = userInfo().username;
    return {
      dir,
      host: "127.0.0.1",
      port,
      user,
      url: `ssh://${user}@127.0.0.1:${port}`,
      hostKey,
      clientKey,
      authorizedKeysFile,
      knownHostsFile,
      knownHostsLine,
      authorize: (publicKey) => appendFileSync(authorizedKeysFile, `${publicKey.trim()}\n`),
      pid: () => (running.exitStatus() === undefined ? running.pid : undefined),
      output: () => running.output(8000),
      stop: async () => void (await running.stop(5_000)),
      async destroy() {
        await running.stop(5_000);
        removeServerDir(dir);
      },
    };
  } catch (err) {
    await server?.kill();
    removeServerDir(dir);
    throw err;
  }
}

