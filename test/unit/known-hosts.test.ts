// The known_hosts reader against the real OpenSSH tools: keys and hashed entries made by
// ssh-keygen, matches cross-checked with `ssh-keygen -F`, fingerprints with `ssh-keygen -lf`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  appendKnownHost,
  checkHostKey,
  entryMatchesHost,
  hostKeyFromBlob,
  knownHostsLine,
  knownHostsName,
  parseKnownHosts,
  readKnownHosts,
  recordedKeyTypes,
  sha256Fingerprint,
  type HostKey,
} from "../../adapters/ssh/known-hosts.js";
import { makeKeyPair, type SshKeyPair } from "../helpers/sshd-server.js";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-known-hosts-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function keyOf(pair: SshKeyPair): HostKey {
  const [, base64 = ""] = pair.publicKey.split(" ");
  const key = hostKeyFromBlob(Buffer.from(base64, "base64"));
  assert.ok(key, pair.publicKey);
  return key;
}
/** "TYPE BASE64" of a key pair, for writing known_hosts lines by hand. */
const keyText = (pair: SshKeyPair): string => pair.publicKey.split(" ").slice(0, 2).join(" ");

function sshKeygen(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("ssh-keygen", args, { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The line numbers `ssh-keygen -F name -f file` reports as matching name. */
function keygenFind(file: string, name: string): number[] {
  const found = sshKeygen(["-F", name, "-f", file]);
  return [...found.stdout.matchAll(/found: line (\d+)/g)].map((m) => Number(m[1]));
}

const ed = makeKeyPair(dir, "ed", { type: "ed25519" });
const ecdsa = makeKeyPair(dir, "ecdsa", { type: "ecdsa" });
const rsa = makeKeyPair(dir, "rsa", { type: "rsa" });
const other = makeKeyPair(dir, "other", { type: "ed25519" });

describe("sha256Fingerprint", () => {
  for (const [name, pair] of [["ed25519", ed], ["ecdsa", ecdsa], ["rsa", rsa]] as const) {
    it(`equals what ssh-keygen -lf prints for an ${name} key`, () => {
      const listed = sshKeygen(["-l", "-E", "sha256", "-f", pair.publicKeyFile]);
      assert.equal(listed.status, 0, listed.stderr);
      const expected = listed.stdout.split(" ")[1];
      assert.match(expected ?? "", /^SHA256:[A-Za-z0-9+/]{43}$/);
      assert.equal(sha256Fingerprint(keyOf(pair).blob), expected);
    });
  }
});

describe("parseKnownHosts", () => {
  it("reads plain, marked and hashed lines; skips comments, blank lines and bad lines with a reason", () => {
    const text = [
      "# a comment",
      "",
      `login1,login2.test ${keyText(ed)} a comment with spaces`,
      `  \t[127.0.0.1]:2222 ${keyText(rsa)}\r`,
      `@revoked * ${keyText(other)}`,
      `@cert-authority *.test ${keyText(ecdsa)}`,
      `@unknown-marker login1 ${keyText(ed)}`,
      "login1 ssh-ed25519 not-base64!",
      `login1 ssh-rsa ${keyText(ed).split(" ")[1]}`,
      "login1 1024 35 12345",
      "login1",
      `|1|bad|hash ${keyText(ed)}`,
    ].join("\n");
    const { entries, skipped } = parseKnownHosts(text);
    assert.deepEqual(
      entries.map((e) => [e.line, e.marker, e.hosts, e.key.type]),
      [
        [3, undefined, "login1,login2.test", "ssh-ed25519"],
        [4, undefined, "[127.0.0.1]:2222", "ssh-rsa"],
        [5, "revoked", "*", "ssh-ed25519"],
        [6, "cert-authority", "*.test", "ecdsa-sha2-nistp256"],
      ],
    );
    assert.deepEqual(
      skipped.map((s) => s.line),
      [7, 8, 9, 10, 11, 12],
    );
    assert.match(skipped[2]?.reason ?? "", /says ssh-ed25519, the line says ssh-rsa/);
  });
});

describe("host matching, cross-checked with ssh-keygen -F", () => {
  const file = join(dir, "patterns_known_hosts");
  const lines = [
    `login1,login2.test ${keyText(ed)}`,
    `[127.0.0.1]:2222 ${keyText(ed)}`,
    `*.cluster.test,!bad.cluster.test ${keyText(ed)}`,
    `node?? ${keyText(ed)}`,
    `[127.0.0.1]:* ${keyText(ed)}`,
    `!login1,LOGIN* ${keyText(ed)}`,
  ];
  writeFileSync(file, `${lines.join("\n")}\n`);
  const { entries } = parseKnownHosts(readFileSync(file, "utf8"));
  const names = [
    knownHostsName("login1", 22),
    knownHostsName("LOGIN2.test", 22),
    knownHostsName("login2", 22),
    knownHostsName("login1", 2222),
    knownHostsName("127.0.0.1", 2222),
    knownHostsName("127.0.0.1", 22),
    knownHostsName("127.0.0.1", 2200),
    knownHostsName("a.cluster.test", 22),
    knownHostsName("bad.cluster.test", 22),
    knownHostsName("node01", 22),
    knownHostsName("node1", 22),
    knownHostsName("node001", 22),
    knownHostsName("login3", 22),
    knownHostsName("::1", 22),
    knownHostsName("::1", 2222),
  ];
  for (const name of names) {
    it(`matches ${name} on the lines ssh-keygen -F finds`, () => {
      const ours = entries.filter((e) => entryMatchesHost(e, name)).map((e) => e.line);
      assert.deepEqual(ours, keygenFind(file, name));
    });
  }

  it("names a host by `[host]:port` except on port 22, lower case, IPv6 included", () => {
    assert.equal(knownHostsName("Login1", 22), "login1");
    assert.equal(knownHostsName("127.0.0.1", 2222), "[127.0.0.1]:2222");
    assert.equal(knownHostsName("::1", 2222), "[::1]:2222");
  });
});

describe("hashed entries", () => {
  it("matches lines hashed by the real ssh-keygen -H, and no other host", () => {
    const file = join(dir, "hashed_known_hosts");
    writeFileSync(file, `login1,[127.0.0.1]:2222 ${keyText(ed)}\n[::1]:2200 ${keyText(rsa)}\n`);
    const hashed = sshKeygen(["-H", "-f", file]);
    assert.equal(hashed.status, 0, hashed.stderr);
    const knownHosts = parseKnownHosts(readFileSync(file, "utf8"));
    // ssh-keygen -H writes one hashed line per name.
    assert.equal(knownHosts.entries.length, 3);
    assert.ok(knownHosts.entries.every((e) => e.hosts.startsWith("|1|")));
    assert.equal(checkHostKey(knownHosts, "login1", 22, keyOf(ed)).status, "trusted");
    assert.equal(checkHostKey(knownHosts, "127.0.0.1", 2222, keyOf(ed)).status, "trusted");
    assert.equal(checkHostKey(knownHosts, "::1", 2200, keyOf(rsa)).status, "trusted");
    assert.equal(checkHostKey(knownHosts, "127.0.0.1", 22, keyOf(ed)).status, "unknown");
    assert.equal(checkHostKey(knownHosts, "login2", 22, keyOf(ed)).status, "unknown");
    assert.equal(checkHostKey(knownHosts, "127.0.0.1", 2222, keyOf(other)).status, "changed");
  });

  it("writes lines that ssh-keygen -F finds, hashed by default and plain on request", async () => {
    const file = join(dir, "written", "known_hosts");
    await appendKnownHost(file, knownHostsLine("127.0.0.1", 2222, keyOf(ed)));
    await appendKnownHost(file, knownHostsLine("Login1", 22, keyOf(rsa), { hashed: false }));
    const text = readFileSync(file, "utf8");
    assert.match(text, /^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= ssh-ed25519 /);
    assert.ok(!text.includes("127.0.0.1"), "the hashed line names the host");
    assert.match(text, /\nlogin1 ssh-rsa /);
    assert.deepEqual(keygenFind(file, "[127.0.0.1]:2222"), [1]);
    assert.deepEqual(keygenFind(file, "login1"), [2]);
    assert.deepEqual(keygenFind(file, "[127.0.0.1]:2223"), []);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "written")).mode & 0o777, 0o700);
  });

  it("adds a newline first when the file's last line has none", async () => {
    const file = join(dir, "no_final_newline");
    writeFileSync(file, `login1 ${keyText(ed)}`);
    await appendKnownHost(file, knownHostsLine("login2", 22, keyOf(rsa), { hashed: false }));
    const knownHosts = await readKnownHosts(file);
    assert.deepEqual(
      knownHosts.entries.map((e) => e.hosts),
      ["login1", "login2"],
    );
  });
});

describe("checkHostKey", () => {
  const knownHosts = parseKnownHosts(
    [
      `login1 ${keyText(ed)}`,
      `login1 ${keyText(rsa)}`,
      `[127.0.0.1]:2222 ${keyText(ecdsa)}`,
      `@revoked login* ${keyText(other)}`,
      `@cert-authority * ${keyText(ecdsa)}`,
      `rsa-only ${keyText(rsa)}`,
    ].join("\n"),
  );

  it("trusts any of several keys on record for a host", () => {
    assert.deepEqual(checkHostKey(knownHosts, "login1", 22, keyOf(ed)), { status: "trusted", line: 1 });
    assert.deepEqual(checkHostKey(knownHosts, "login1", 22, keyOf(rsa)), { status: "trusted", line: 2 });
    assert.deepEqual(checkHostKey(knownHosts, "127.0.0.1", 2222, keyOf(ecdsa)), { status: "trusted", line: 3 });
  });

  it("reports a different key for a known host as changed, with the keys on record", () => {
    const verdict = checkHostKey(knownHosts, "127.0.0.1", 2222, keyOf(ed));
    assert.deepEqual(verdict, { status: "changed", recorded: [{ line: 3, type: "ecdsa-sha2-nistp256", fingerprint: sha256Fingerprint(keyOf(ecdsa).blob) }] });
  });

  it("reports a key of another type than those on record as changed, not unknown", () => {
    assert.equal(checkHostKey(knownHosts, "rsa-only", 22, keyOf(ed)).status, "changed");
  });

  it("refuses a revoked key even where it is also on record", () => {
    const both = parseKnownHosts(`login1 ${keyText(other)}\n@revoked * ${keyText(other)}\n`);
    assert.deepEqual(checkHostKey(both, "login1", 22, keyOf(other)), { status: "revoked", line: 2 });
    assert.deepEqual(checkHostKey(knownHosts, "login9", 22, keyOf(other)), { status: "revoked", line: 4 });
  });

  it("does not take a @cert-authority key as a host key", () => {
    assert.deepEqual(checkHostKey(knownHosts, "elsewhere", 22, keyOf(ecdsa)), { status: "unknown" });
    assert.deepEqual(checkHostKey(knownHosts, "127.0.0.1", 22, keyOf(ecdsa)), { status: "unknown" });
  });

  it("lists the key types on record for a host, for the server to offer first", () => {
    assert.deepEqual(recordedKeyTypes(knownHosts, "login1", 22), ["ssh-ed25519", "ssh-rsa"]);
    assert.deepEqual(recordedKeyTypes(knownHosts, "127.0.0.1", 2222), ["ecdsa-sha2-nistp256"]);
    assert.deepEqual(recordedKeyTypes(knownHosts, "nobody", 22), []);
  });

  it("reads a missing file as an empty one", async () => {
    assert.deepEqual(await readKnownHosts(join(dir, "absent", "known_hosts")), { entries: [], skipped: [] });
  });
});
