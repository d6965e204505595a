// What we offer a login node, in ssh(1)'s order: the agent's keys, then key files. Default files
// are ~/.ssh/id_ed25519, id_ecdsa and id_rsa, those that exist; an encrypted one is used with the
// passphrase option, or skipped with a note (its key may still be in the agent).
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../core/errors.js";
import type { Ssh2, Ssh2AuthMethod } from "./load-ssh2.js";

export const DEFAULT_IDENTITY_NAMES = ["id_ed25519", "id_ecdsa", "id_rsa"] as const;

export interface AuthPlan {
  methods: Ssh2AuthMethod[];
  /** What was offered, for a refusal's message: "ssh-agent at /run/agent.sock", "key /home/a/.ssh/id_ed25519". */
  offered: string[];
  /** Keys left out and why (encrypted without a passphrase, unreadable). */
  notes: string[];
}

export interface AuthOptions {
  username: string;
  /** Key files; when absent, the default ones that exist. A file named here must be readable. */
  identityFiles: readonly string[] | undefined;
  passphrase: string | undefined;
  /** The agent's socket; undefined for none. */
  agentSocket: string | undefined;
}

export function defaultIdentityFiles(home: string = homedir()): string[] {
  return DEFAULT_IDENTITY_NAMES.map((name) => join(home, ".ssh", name));
}

export async function planAuth(ssh2: Ssh2, options: AuthOptions): Promise<AuthPlan> {
  const { username, passphrase } = options;
  const plan: AuthPlan = { methods: [], offered: [], notes: [] };
  if (options.agentSocket) {
    plan.methods.push({ type: "agent", username, agent: options.agentSocket });
    plan.offered.push(`the keys of ssh-agent at ${options.agentSocket}`);
  }
  const explicit = options.identityFiles !== undefined;
  for (const file of options.identityFiles ?? defaultIdentityFiles()) {
    let key: Buffer;
    try {
      key = await readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!explicit && code === "ENOENT") continue;
      throw new ConfigError(`SSH key file ${file} cannot be read (${code ?? String(err)})`, { cause: err });
    }
    const parsed = ssh2.utils.parseKey(key, passphrase);
    if (parsed instanceof Error) {
      if (/encrypted/i.test(parsed.message) && passphrase === undefined) plan.notes.push(`${file} is encrypted: give its passphrase, or add it to ssh-agent (ssh-add ${file})`);
      else if (/passphrase|decrypt|bad key/i.test(parsed.message)) plan.notes.push(`${file} could not be decrypted with the passphrase given`);
      else plan.notes.push(`${file} is not a private key ssh2 can read (${parsed.message})`);
      continue;
    }
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!first?.isPrivateKey()) {
      plan.notes.push(`${file} holds no private key`);
      continue;
    }
    plan.methods.push(passphrase === undefined ? { type: "publickey", username, key } : { type: "publickey", username, key, passphrase });
    plan.offered.push(`key ${file}`);
  }
  return plan;
}
