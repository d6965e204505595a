// A real ssh-agent on a socket in a test's own folder, holding the keys a test adds with the real
// ssh-add; stopped by PID. Missing ssh-agent or ssh-add fails, as every missing server does.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { requireExecutable, startServerProcess } from "./server-process.js";

const INSTALL = "install Debian's openssh-client (.ci/run does) to run the SSH tests";

export interface SshAgent {
  /** Its socket: what SSH_AUTH_SOCK names. */
  socket: string;
  pid: number;
  /** ssh-add of a private key file. */
  add(privateKeyFile: string): void;
  stop(): Promise<void>;
}

/** Starts `ssh-agent -D -a DIR/agent.sock` (-D: in the foreground, so its PID is ours to stop). */
export async function startSshAgent(dir: string): Promise<SshAgent> {
  requireExecutable("ssh-agent", INSTALL);
  requireExecutable("ssh-add", INSTALL);
  const socket = join(dir, "agent.sock");
  const agent = await startServerProcess({
    name: "ssh-agent",
    command: "ssh-agent",
    args: ["-D", "-a", socket],
    dir,
    ready: () => existsSync(socket),
    readyMeans: `create ${socket}`,
    readyTimeoutMs: 10_000,
  });
  return {
    socket,
    pid: agent.pid,
    add(privateKeyFile) {
      const added = spawnSync("ssh-add", [privateKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      if (added.status !== 0) throw new Error(`ssh-add ${privateKeyFile} failed: ${added.stderr}`);
    },
    stop: async () => void (await agent.stop(5_000)),
  };
}
