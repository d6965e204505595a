// ssh2 (CommonJS, 1.x), loaded only when a command really goes over SSH, typed with the few parts
// the runner uses. The types are ours rather than @types/ssh2's, and the specifier is a variable,
// so the project compiles and bundles whether or not ssh2 is installed: only `--via ssh://` needs it.
import type { EventEmitter } from "node:events";
import type { Duplex, Readable } from "node:stream";
import { ConfigError } from "../../core/errors.js";

export interface Ssh2ParsedKey {
  type: string;
  isPrivateKey(): boolean;
}

/** One step of authentication, as ssh2's authHandler takes it. */
export type Ssh2AuthMethod =
  | { type: "agent"; username: string; agent: string }
  | { type: "publickey"; username: string; key: Buffer; passphrase?: string };

export interface Ssh2ConnectConfig {
  host: string;
  port: number;
  username: string;
  readyTimeout: number;
  keepaliveInterval: number;
  keepaliveCountMax: number;
  /** Called with the host key's SSH wire blob; false refuses the host. */
  hostVerifier: (key: Buffer) => boolean;
  authHandler: (methodsLeft: string[] | null, partialSuccess: boolean | null, next: (method: Ssh2AuthMethod | false) => void) => void;
  algorithms: { serverHostKey: string[] };
}

/** ssh2 errors carry where they arose: client-socket, client-dns, client-timeout, client-authentication, agent, handshake, protocol. */
export type Ssh2Error = Error & { level?: string; code?: string };

export interface Ssh2Channel extends Duplex {
  stderr: Readable;
  /** Ends our side of the data (the command's stdin). */
  eof(): void;
  close(): void;
}

export interface Ssh2Client extends EventEmitter {
  connect(config: Ssh2ConnectConfig): this;
  exec(command: string, callback: (err: Error | undefined, channel: Ssh2Channel) => void): this;
  end(): this;
  destroy(): this;
}

export interface Ssh2 {
  Client: new () => Ssh2Client;
  utils: { parseKey(data: Buffer | string, passphrase?: string): Ssh2ParsedKey | Ssh2ParsedKey[] | Error };
}

const SSH2 = "ssh2";

export async function loadSsh2(): Promise<Ssh2> {
  try {
    const loaded = (await import(SSH2)) as { default?: Ssh2 } & Partial<Ssh2>;
    return loaded.default ?? (loaded as Ssh2);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") {
      throw new ConfigError("the ssh2 package is not installed, and `--via ssh://` needs it: install snaptrail with its dependencies (npm install ssh2)", { cause: err });
    }
    throw err;
  }
}
