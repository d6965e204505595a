// OpenSSH's known_hosts, read and matched the way ssh(1) does (sshd(8) "SSH_KNOWN_HOSTS FILE
// FORMAT", hostfile.c, match.c), because ssh2 has none and trusting a login node is the whole
// point of checking. Covered: comma-separated host patterns with `*`, `?` and `!` negation,
// `[host]:port` for a port other than 22, hashed names (`|1|salt|HMAC-SHA1`), several keys per
// host, `@revoked` (refused) and `@cert-authority` (kept apart: not a host key). Out of scope:
// host CERTIFICATES signed by such a CA (we never offer cert host key algorithms, so a server
// shows us its plain key), the global /etc/ssh/ssh_known_hosts, and SSH1 `bits e n` lines.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { appendFile, mkdir, readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";

export interface HostKey {
  /** The key's own type, from its blob: "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256". */
  type: string;
  /** The public key in SSH wire format (what the base64 in known_hosts decodes to). */
  blob: Buffer;
}

type HostMatcher = { kind: "hashed"; salt: Buffer; hash: Buffer } | { kind: "patterns"; patterns: readonly string[] };

export interface KnownHostsEntry {
  /** 1-based, for messages that point at the line. */
  line: number;
  marker: "revoked" | "cert-authority" | undefined;
  /** The host field as written (a pattern list, or a hashed name). */
  hosts: string;
  matcher: HostMatcher;
  key: HostKey;
}

export interface KnownHosts {
  entries: KnownHostsEntry[];
  /** Lines that are neither entries nor comments, with why; ssh skips them too. */
  skipped: { line: number; reason: string }[];
}

/** What the key a host shows us means, by the file. */
export type HostKeyVerdict =
  | { status: "trusted"; line: number }
  /** Nothing on record for this host: the only case a flag may add a key for. */
  | { status: "unknown" }
  /** The host has keys on record and this is none of them: maybe a new server, maybe an attacker. */
  | { status: "changed"; recorded: { line: number; type: string; fingerprint: string }[] }
  | { status: "revoked"; line: number };

/** The name known_hosts files a host under: `host` on port 22, `[host]:port` otherwise (lower case, as ssh does). */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** The key's fingerprint as `ssh-keygen -lf` prints it: `SHA256:` + unpadded base64 of SHA-256 of the blob. */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** A host key from its wire-format blob, the type read from the blob's first string; undefined when malformed. */
export function hostKeyFromBlob(blob: Buffer): HostKey | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return undefined;
  const type = blob.subarray(4, 4 + length).toString("latin1");
  return /^[\x21-\x7e]+$/.test(type) ? { type, blob } : undefined;
}

/** Parses known_hosts text; bad lines are listed in `skipped`, never fatal. */
export function parseKnownHosts(text: string): KnownHosts {
  const entries: KnownHostsEntry[] = [];
  const skipped: { line: number; reason: string }[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    const fields = raw.trim().split(/[ \t]+/);
    if (fields[0] === undefined || fields[0] === "" || fields[0].startsWith("#")) return;
    let marker: KnownHostsEntry["marker"];
    if (fields[0].startsWith("@")) {
      const name = fields.shift();
      if (name === "@revoked") marker = "revoked";
      else if (name === "@cert-authority") marker = "cert-authority";
      else return skipped.push({ line, reason: `unknown marker ${name}` });
    }
    const [hosts, type, base64] = fields;
    if (hosts === undefined || type === undefined || base64 === undefined) return skipped.push({ line, reason: "needs hosts, key type and key" });
    if (/^\d+$/.test(type)) return skipped.push({ line, reason: "an SSH1 key (bits e n), which SSH2 never uses" });
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return skipped.push({ line, reason: "the key is not base64" });
    const key = hostKeyFromBlob(Buffer.from(base64, "base64"));
    if (key === undefined) return skipped.push({ line, reason: "the key's blob is malformed" });
    if (key.type !== type) return skipped.push({ line, reason: `the key says ${key.type}, the line says ${type}` });
    const matcher = parseHostField(hosts);
    if (matcher === undefined) return skipped.push({ line, reason: "malformed hashed host name" });
    entries.push({ line, marker, hosts, matcher, key });
  });
  return { entries, skipped };
}

function parseHostField(hosts: string): HostMatcher | undefined {
  if (!hosts.startsWith("|")) return { kind: "patterns", patterns: hosts.split(",").filter((p) => p !== "") };
  // |1|base64(salt)|base64(HMAC-SHA1(salt, name)): the only hash ssh knows; a hashed field is one name.
  const parts = hosts.split("|");
  if (parts.length !== 4 || parts[0] !== "" || parts[1] !== "1" || parts[2] === undefined || parts[3] === undefined) return undefined;
  const salt = Buffer.from(parts[2], "base64");
  const hash = Buffer.from(parts[3], "base64");
  return salt.length === 20 && hash.length === 20 ? { kind: "hashed", salt, hash } : undefined;
}

/** `*` any run of characters, `?` one; everything else literal, case-insensitive (match.c). */
function matchesPattern(name: string, pattern: string): boolean {
  const regex = pattern
    .toLowerCase()
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${regex}$`, "s").test(name);
}

/** Whether the entry's host field names `name` (from knownHostsName): a negated match wins over any other. */
export function entryMatchesHost(entry: Pick<KnownHostsEntry, "matcher">, name: string): boolean {
  const { matcher } = entry;
  if (matcher.kind === "hashed") {
    const actual = createHmac("sha1", matcher.salt).update(name).digest();
    return timingSafeEqual(actual, matcher.hash);
  }
  let matched = false;
  for (const pattern of matcher.patterns) {
    if (pattern.startsWith("!")) {
      if (matchesPattern(name, pattern.slice(1))) return false;
    } else if (matchesPattern(name, pattern)) matched = true;
  }
  return matched;
}

/**
 * What `key`, shown by host:port, means by `knownHosts`. Revoked beats everything; a key on record
 * is trusted; a host with other keys on record (of any type) is `changed`, not `unknown`, so that
 * no flag meant for new hosts can slip in a key for a host we already know.
 */
export function checkHostKey(knownHosts: KnownHosts, host: string, port: number, key: HostKey): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const forHost = knownHosts.entries.filter((e) => entryMatchesHost(e, name));
  const same = (e: KnownHostsEntry): boolean => e.key.type === key.type && e.key.blob.equals(key.blob);
  const revoked = forHost.find((e) => e.marker === "revoked" && same(e));
  if (revoked) return { status: "revoked", line: revoked.line };
  const recorded = forHost.filter((e) => e.marker === undefined);
  const trusted = recorded.find(same);
  if (trusted) return { status: "trusted", line: trusted.line };
  if (recorded.length === 0) return { status: "unknown" };
  return { status: "changed", recorded: recorded.map((e) => ({ line: e.line, type: e.key.type, fingerprint: sha256Fingerprint(e.key.blob) })) };
}

/** The key types on record for host:port (plain host keys only), in file order: what to ask the server for first. */
export function recordedKeyTypes(knownHosts: KnownHosts, host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  const types = knownHosts.entries.filter((e) => e.marker === undefined && entryMatchesHost(e, name)).map((e) => e.key.type);
  return [...new Set(types)];
}

/** Reads a known_hosts file; a missing file is an empty one (nothing known yet). */
export async function readKnownHosts(file: string): Promise<KnownHosts> {
  try {
    return parseKnownHosts(await readFile(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], skipped: [] };
    throw err;
  }
}

/**
 * The line that trusts `key` for host:port. Hashed by default, as `ssh-keygen -H` and Debian's
 * `HashKnownHosts yes` write it (a fresh 20-byte salt), so the file does not list the hosts one
 * logs in to; `hashed: false` writes the plain name.
 */
export function knownHostsLine(host: string, port: number, key: HostKey, options: { hashed?: boolean } = {}): string {
  const name = knownHostsName(host, port);
  let field = name;
  if (options.hashed ?? true) {
    const salt = randomBytes(20);
    field = `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
  }
  return `${field} ${key.type} ${key.blob.toString("base64")}`;
}

/** Appends a line to known_hosts, making ~/.ssh (0700) and the file (0600) when missing. */
export async function appendKnownHost(file: string, line: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = "";
  try {
    const { size } = await stat(file);
    // A file whose last line has no newline would otherwise swallow ours into it.
    if (size > 0 && !(await readFile(file, "utf8")).endsWith("\n")) prefix = "\n";
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await appendFile(file, `${prefix}${line}\n`, { mode: 0o600 });
}
