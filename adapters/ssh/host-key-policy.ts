// Decides, during the SSH handshake, whether the key a host shows is one we trust, by known_hosts,
// and says why not in words a person can act on. A new key is written to known_hosts only when
// asked (trustNewHostKey), only for a host with no key on record, and only once the handshake is
// complete (ssh2 asks us before it checks the host's signature, so the host has proved nothing yet).
import { UntrustedHostError } from "../../core/errors.js";
import { shellQuote } from "../../core/diff/shell-quote.js";
import { formatHostPort } from "./ssh-target.js";
import { appendKnownHost, checkHostKey, hostKeyFromBlob, knownHostsLine, knownHostsName, sha256Fingerprint, type HostKey, type KnownHosts } from "./known-hosts.js";

export interface HostKeyPolicyOptions {
  host: string;
  port: number;
  knownHosts: KnownHosts;
  knownHostsFile: string;
  trustNewHostKey: boolean;
  hashKnownHosts: boolean;
  /** How a person asks to trust a new key, for the message: "--trust-new-host-key". */
  trustHint: string;
}

export class HostKeyPolicy {
  readonly #options: HostKeyPolicyOptions;
  /** The key the first handshake accepted: a later re-key must show the same one. */
  #accepted: HostKey | undefined;
  #toAdd: HostKey | undefined;
  /** Why the host was refused, when it was. */
  refusal: UntrustedHostError | undefined;

  constructor(options: HostKeyPolicyOptions) {
    this.#options = options;
  }

  /** ssh2's hostVerifier: the key's wire blob in, trust out; a refusal leaves its reason in `refusal`. */
  verify(blob: Buffer): boolean {
    const { host, port, knownHosts, knownHostsFile, trustNewHostKey, trustHint } = this.#options;
    const where = formatHostPort({ host, port });
    const key = hostKeyFromBlob(blob);
    if (key === undefined) return this.#refuse(`${where} sent a malformed host key`);
    const fingerprint = sha256Fingerprint(key.blob);
    const shown = `${key.type} key ${fingerprint}`;
    if (this.#accepted) {
      if (this.#accepted.blob.equals(key.blob)) return true;
      return this.#refuse(`${where} showed a different host key (${shown}) when the connection re-keyed`, fingerprint);
    }
    const verdict = checkHostKey(knownHosts, host, port, key);
    switch (verdict.status) {
      case "trusted":
        this.#accepted = key;
        return true;
      case "unknown":
        if (trustNewHostKey) {
          this.#accepted = this.#toAdd = key;
          return true;
        }
        return this.#refuse(
          `the host key of ${where} is not known: ${shown} is not in ${knownHostsFile}. ` +
            `Check that fingerprint with the host's admin (on the host: ssh-keygen -lf on its /etc/ssh/ssh_host_*_key.pub), ` +
            `then trust it once with ${trustHint}, which adds it to ${knownHostsFile}`,
          fingerprint,
        );
      case "changed": {
        const recorded = verdict.recorded.map((r) => `${r.type} key ${r.fingerprint} (line ${r.line})`).join(", ");
        return this.#refuse(
          `the host key of ${where} has CHANGED: it shows ${shown}, but ${knownHostsFile} records ${recorded}. ` +
            `Someone may be intercepting the connection, or the host was reinstalled. Nothing was trusted or written` +
            `${trustNewHostKey ? ` (${trustHint} never replaces a key on record)` : ""}. ` +
            `If the host's admin confirms the new key, remove the old one with: ssh-keygen -R ${shellQuote(knownHostsName(host, port))} -f ${shellQuote(knownHostsFile)}`,
          fingerprint,
        );
      }
      case "revoked":
        return this.#refuse(`the host key of ${where} (${shown}) is marked @revoked in ${knownHostsFile} line ${verdict.line}: refused`, fingerprint);
    }
  }

  /** After a complete handshake: writes the new key that trustNewHostKey accepted, once. */
  async afterHandshake(): Promise<void> {
    const key = this.#toAdd;
    if (key === undefined) return;
    this.#toAdd = undefined;
    const { host, port, knownHostsFile, hashKnownHosts } = this.#options;
    await appendKnownHost(knownHostsFile, knownHostsLine(host, port, key, { hashed: hashKnownHosts }));
  }

  #refuse(message: string, fingerprint?: string): false {
    this.refusal = new UntrustedHostError(message, { fingerprint });
    return false;
  }
}
