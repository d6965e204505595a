// SshCommandRunner against a real OpenSSH sshd on loopback: quoting, stdin, exit codes, host key
// checks with known_hosts files written by hand and by ssh-keygen, key files and a real ssh-agent.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createCommandRunner } from "../../adapters/create-command-runner.js";
import { SshCommandRunner, type SshCommandRunnerOptions } from "../../adapters/ssh/ssh-command-runner.js";
import { UntrustedHostError } from "../../core/errors.js";
import { freePort } from "../helpers/free-port.js";
import { hostileArgs, hostileStdin, splitNulTerminated } from "../helpers/hostile-argv.js";
import { snaptrailError } from "../helpers/snaptrail-error.js";
import { startSshAgent, type SshAgent } from "../helpers/ssh-agent.js";
import { makeKeyPair, startSshd, type Sshd } from "../helpers/sshd-server.js";

/** Command lines of this machine's processes (the sshd is local) that hold `arg` as an argument. */
function processesRunning(arg: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      continue; // ended while we looked
    }
    if (args.includes(arg)) found.push(args.join(" "));
  }
  return found;
}

describe("SshCommandRunner against a real sshd", () => {
  let sshd: Sshd;
  let agent: SshAgent | undefined;
  const runners: SshCommandRunner[] = [];
  let fingerprint = "";

  before(async () => {
    sshd = await startSshd();
    const listed = spawnSync("ssh-keygen", ["-l", "-E", "sha256", "-f", sshd.hostKey.publicKeyFile], { encoding: "utf8" });
    fingerprint = listed.stdout.split(" ")[1] ?? "";
    assert.match(fingerprint, /^SHA256:/);
  });
  after(async () => {
    await Promise.all(runners.map((r) => r.close()));
    await agent?.stop();
    await sshd?.destroy();
  });

  /** A runner logged in with the authorized client key, trusting the server by sshd.knownHostsFile. */
  const runner = (options: Partial<SshCommandRunnerOptions> = {}): SshCommandRunner => {
    const r = new SshCommandRunner({
      target: { user: sshd.user, host: "127.0.0.1", port: sshd.port },
      identityFiles: [sshd.clientKey.privateKeyFile],
      agentSocket: null,
      knownHostsFile: sshd.knownHostsFile,
      ...options,
    });
    runners.push(r);
    return r;
  };

  describe("running commands", () => {
    it("passes every argument through byte-exact, and none of them runs as shell code on the host", async () => {
      const canary = join(sshd.dir, "CANARY");
      const args = hostileArgs(canary);
      const outcome = await runner().run(["printf", "%s\\0", ...args]);
      assert.equal(outcome.exitCode, 0, outcome.stderr);
      assert.deepEqual(splitNulTerminated(outcome.stdout), args);
      assert.equal(existsSync(canary), false, "an argument was run as a command on the host");
    });

    it("writes stdin exactly, then ends it", async () => {
      const stdin = hostileStdin();
      const outcome = await runner().run(["cat"], { stdin });
      assert.equal(outcome.exitCode, 0, outcome.stderr);
      assert.equal(outcome.stdout, stdin);
    });

    it("passes exit codes, stderr and signals through", async () => {
      const r = runner();
      assert.deepEqual(await r.run(["sh", "-c", "echo oops >&2; exit 7"]), { exitCode: 7, signal: null, stdout: "", stderr: "oops\n" });
      const killed = await r.run(["sh", "-c", "kill -KILL $$"]);
      assert.equal(killed.exitCode, null);
      assert.equal(killed.signal, "SIGKILL");
    });

    it("sets env variables through `env`, values exact, and none of them runs", async () => {
      const canary = join(sshd.dir, "ENV_CANARY");
      const value = `$(touch ${canary}) it's "x"\nnext \`touch ${canary}\``;
      const outcome = await runner().run(["printenv", "SNAPTRAIL_A", "SNAPTRAIL_B"], { env: { SNAPTRAIL_A: value, SNAPTRAIL_B: "" } });
      assert.equal(outcome.stdout, `${value}\n\n`);
      assert.equal(existsSync(canary), false);
    });

    it("refuses a command an `env` prefix would misread, and a NUL byte, as BAD_INPUT", async () => {
      await assert.rejects(runner().run(["A=b", "x"], { env: { C: "d" } }), snaptrailError("BAD_INPUT", "A=b"));
      await assert.rejects(runner().run(["echo", "a\0b"]), snaptrailError("BAD_INPUT", "NUL"));
      await assert.rejects(runner().run(["echo"], { env: { "A=B": "c" } }), snaptrailError("BAD_INPUT", "A=B"));
    });

    it("reuses one connection for several runs, and a new one after close()", async () => {
      const r = runner();
      // SSH_CONNECTION is "client_ip client_port server_ip server_port": one client port, one connection.
      const first = (await r.run(["printenv", "SSH_CONNECTION"])).stdout;
      const [second, third] = await Promise.all([r.run(["printenv", "SSH_CONNECTION"]), r.run(["printenv", "SSH_CONNECTION"])]);
      assert.match(first, /^127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+\n$/);
      assert.equal(second.stdout, first);
      assert.equal(third.stdout, first);
      await r.close();
      assert.notEqual((await r.run(["printenv", "SSH_CONNECTION"])).stdout, first);
    });

    it("ends a command that outlives timeoutMs, with its whole process group on the host, and says so in signal", async () => {
      const r = runner({ killGraceMs: 500 });
      const outcome = await r.run(["sh", "-c", "echo started; sleep 987651; echo never"], { timeoutMs: 300 });
      assert.deepEqual(outcome, { exitCode: null, signal: "SIGTERM", stdout: "started\n", stderr: "" });
      assert.deepEqual(processesRunning("987651"), [], "the command still runs on the host");
    });

    it("kills a command that ignores SIGTERM once the grace is over", async () => {
      const r = runner({ killGraceMs: 300 });
      const outcome = await r.run(["sh", "-c", "trap '' TERM; sleep 987652"], { timeoutMs: 200 });
      assert.equal(outcome.exitCode, null);
      assert.equal(outcome.signal, "SIGKILL");
      assert.deepEqual(processesRunning("987652"), [], "the command still runs on the host");
    });
  });

  describe("host keys", () => {
    it("accepts the plain `[127.0.0.1]:PORT` line the helper wrote", async () => {
      assert.equal(readFileSync(sshd.knownHostsFile, "utf8"), `[127.0.0.1]:${sshd.port} ${sshd.hostKey.publicKey.split(" ").slice(0, 2).join(" ")}\n`);
      assert.equal((await runner().run(["true"])).exitCode, 0);
    });

    it("accepts an entry hashed by the real ssh-keygen -H", async () => {
      const file = join(sshd.dir, "hashed_known_hosts");
      copyFileSync(sshd.knownHostsFile, file);
      assert.equal(spawnSync("ssh-keygen", ["-H", "-f", file]).status, 0);
      assert.ok(readFileSync(file, "utf8").startsWith("|1|"));
      assert.equal((await runner({ knownHostsFile: file }).run(["true"])).exitCode, 0);
    });

    it("asks a host with several keys for the type on record, so it is not taken for a changed host", async () => {
      const keysDir = mkdtempSync(join(tmpdir(), "snaptrail-two-host-keys-"));
      const rsaHostKey = makeKeyPair(keysDir, "ssh_host_rsa_key", { type: "rsa" });
      // The helper's ed25519 key comes first in sshd_config; known_hosts records only the RSA one.
      const twoKeys = await startSshd({ extraConfig: [`HostKey ${rsaHostKey.privateKeyFile}`] });
      try {
        const file = join(keysDir, "known_hosts");
        writeFileSync(file, `[127.0.0.1]:${twoKeys.port} ${rsaHostKey.publicKey}\n`);
        const r = runner({ target: { user: twoKeys.user, host: "127.0.0.1", port: twoKeys.port }, identityFiles: [twoKeys.clientKey.privateKeyFile], knownHostsFile: file });
        assert.equal((await r.run(["echo", "rsa"])).stdout, "rsa\n");
        await r.close();
      } finally {
        await twoKeys.destroy();
        rmSync(keysDir, { recursive: true, force: true });
      }
    });

    it("refuses an unknown host key with its SHA256 fingerprint and how to trust it, writing nothing", async () => {
      const file = join(sshd.dir, "other_host_only");
      const otherKey = makeKeyPair(sshd.dir, "unrelated_host");
      writeFileSync(file, `login1 ${otherKey.publicKey}\n`);
      const err = await runner({ knownHostsFile: file })
        .run(["true"])
        .then(
          () => assert.fail("connected to an unknown host"),
          (e: unknown) => e,
        );
      assert.ok(err instanceof UntrustedHostError, String(err));
      snaptrailError("UNTRUSTED_HOST", `127.0.0.1:${sshd.port}`, "not known", "ssh-ed25519", fingerprint, "--trust-new-host-key")(err);
      assert.equal(err.fingerprint, fingerprint);
      assert.equal(readFileSync(file, "utf8"), `login1 ${otherKey.publicKey}\n`);
    });

    it("refuses a changed host key, even with trustNewHostKey, and leaves known_hosts as it was", async () => {
      const file = join(sshd.dir, "changed_known_hosts");
      const oldKey = makeKeyPair(sshd.dir, "old_host_key");
      const text = `[127.0.0.1]:${sshd.port} ${oldKey.publicKey}\n`;
      writeFileSync(file, text);
      for (const trustNewHostKey of [false, true]) {
        await assert.rejects(runner({ knownHostsFile: file, trustNewHostKey }).run(["true"]), snaptrailError("UNTRUSTED_HOST", "CHANGED", fingerprint, "ssh-keygen -R"));
        assert.equal(readFileSync(file, "utf8"), text);
      }
    });

    it("refuses a key marked @revoked", async () => {
      const file = join(sshd.dir, "revoked_known_hosts");
      writeFileSync(file, `${readFileSync(sshd.knownHostsFile, "utf8")}@revoked * ${sshd.hostKey.publicKey}\n`);
      await assert.rejects(runner({ knownHostsFile: file }).run(["true"]), snaptrailError("UNTRUSTED_HOST", "@revoked", fingerprint));
    });

    it("with trustNewHostKey adds an unknown key, hashed, that the next connection and OpenSSH's ssh then trust", async () => {
      const file = join(sshd.dir, "new", "known_hosts");
      assert.equal((await runner({ knownHostsFile: file, trustNewHostKey: true }).run(["echo", "first"])).stdout, "first\n");
      const written = readFileSync(file, "utf8");
      assert.match(written, /^\|1\|[^ ]+ ssh-ed25519 [A-Za-z0-9+/=]+\n$/);
      assert.equal((await runner({ knownHostsFile: file }).run(["echo", "second"])).stdout, "second\n");
      const ssh = spawnSync(
        "ssh",
        ["-p", String(sshd.port), "-i", sshd.clientKey.privateKeyFile, "-o", `UserKnownHostsFile=${file}`, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", `${sshd.user}@127.0.0.1`, "echo", "openssh"],
        { encoding: "utf8", env: { ...process.env, SSH_AUTH_SOCK: "" } },
      );
      assert.equal(ssh.stdout, "openssh\n", ssh.stderr);
      assert.equal(readFileSync(file, "utf8"), written);
    });
  });

  describe("authentication", () => {
    it("refuses a key the host does not accept as UNAUTHENTICATED, naming user@host", async () => {
      const stranger = makeKeyPair(sshd.dir, "stranger");
      await assert.rejects(runner({ identityFiles: [stranger.privateKeyFile] }).run(["true"]), snaptrailError("UNAUTHENTICATED", `${sshd.user}@127.0.0.1:${sshd.port}`, stranger.privateKeyFile));
    });

    it("logs in with a key held by a real ssh-agent, found through SSH_AUTH_SOCK, no key file", async () => {
      agent = await startSshAgent(sshd.dir);
      agent.add(sshd.clientKey.privateKeyFile);
      assert.equal((await runner({ identityFiles: [], agentSocket: agent.socket }).run(["echo", "via agent"])).stdout, "via agent\n");
      const saved = process.env.SSH_AUTH_SOCK;
      process.env.SSH_AUTH_SOCK = agent.socket;
      try {
        assert.equal((await runner({ identityFiles: [], agentSocket: undefined }).run(["echo", "via SSH_AUTH_SOCK"])).stdout, "via SSH_AUTH_SOCK\n");
      } finally {
        if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
        else process.env.SSH_AUTH_SOCK = saved;
      }
    });

    it("goes on to the key files when the agent is gone or holds no accepted key", async () => {
      const empty = await startSshAgent(mkdtempSync(join(sshd.dir, "empty-agent-")));
      try {
        for (const agentSocket of [join(sshd.dir, "no-such-agent.sock"), empty.socket]) {
          assert.equal((await runner({ agentSocket }).run(["echo", "key file"])).stdout, "key file\n");
        }
      } finally {
        await empty.stop();
      }
    });

    it("says there is nothing to offer when there is no agent and no key file, as UNAUTHENTICATED", async () => {
      await assert.rejects(runner({ identityFiles: [], agentSocket: null }).run(["true"]), snaptrailError("UNAUTHENTICATED", "no SSH key to offer", `${sshd.user}@127.0.0.1:${sshd.port}`));
    });

    it("uses an encrypted key with its passphrase, and says why it skipped one without", async () => {
      const locked = makeKeyPair(sshd.dir, "locked", { passphrase: "correct horse" });
      sshd.authorize(locked.publicKey);
      assert.equal((await runner({ identityFiles: [locked.privateKeyFile], passphrase: "correct horse" }).run(["echo", "unlocked"])).stdout, "unlocked\n");
      await assert.rejects(runner({ identityFiles: [locked.privateKeyFile] }).run(["true"]), snaptrailError("UNAUTHENTICATED", `${sshd.user}@127.0.0.1:${sshd.port}`, "encrypted"));
    });
  });

  it("is what createCommandRunner gives for via: ssh, and the local runner for via: local", async () => {
    const ssh = await createCommandRunner({ via: "ssh", target: { user: sshd.user, host: "127.0.0.1", port: sshd.port }, identityFiles: [sshd.clientKey.privateKeyFile], agentSocket: null, knownHostsFile: sshd.knownHostsFile });
    try {
      assert.equal(ssh.where, `ssh://${sshd.user}@127.0.0.1:${sshd.port}`);
      assert.equal((await ssh.run(["printenv", "SSH_CONNECTION"])).exitCode, 0);
    } finally {
      await ssh.close();
    }
    const local = await createCommandRunner({ via: "local" });
    assert.equal(local.where, "this machine");
    assert.equal((await local.run(["printenv", "SSH_CONNECTION"], { env: { SSH_CONNECTION: "" } })).stdout, "\n");
  });

  it("reports a host that accepts but never speaks SSH as UNAVAILABLE once connectTimeoutMs is over", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const r = runner({ target: { user: sshd.user, host: "127.0.0.1", port }, connectTimeoutMs: 300 });
      await assert.rejects(r.run(["true"]), snaptrailError("UNAVAILABLE", `127.0.0.1:${port}`));
    } finally {
      silent.close();
    }
  });

  it("reports a port where nothing listens as UNAVAILABLE, naming host:port", async () => {
    const port = await freePort();
    const r = runner({ target: { user: sshd.user, host: "127.0.0.1", port } });
    await assert.rejects(r.run(["true"]), snaptrailError("UNAVAILABLE", `127.0.0.1:${port}`));
  });
});
