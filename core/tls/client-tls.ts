import { ConfigError } from "../errors.js";
import { readCertificates, readKeyPair } from "./tls-files.js";

/** Where a client (the agent, the CLI) finds what it needs to verify the collector, and to prove itself for mutual TLS. */
export interface ClientTlsSettings {
  /** PEM CA bundle the collector's certificate must chain to; unset: Node's built-in roots. */
  tlsCa?: string | undefined;
  /** PEM client certificate (chain) for mutual TLS. */
  tlsCert?: string | undefined;
  /** Its PEM private key. */
  tlsKey?: string | undefined;
}

export const CLIENT_TLS_ENV = { tlsCa: "SNAPTRAIL_TLS_CA", tlsCert: "SNAPTRAIL_TLS_CERT", tlsKey: "SNAPTRAIL_TLS_KEY" } as const;

/** The files' contents, read and checked: what grpc-js and node:https take. */
export interface ClientTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

const name = (key: keyof typeof CLIENT_TLS_ENV, flag: string): string => `${key} (${flag}, env ${CLIENT_TLS_ENV[key]})`;
const NAMES = { tlsCa: name("tlsCa", "--tls-ca"), tlsCert: name("tlsCert", "--tls-cert"), tlsKey: name("tlsKey", "--tls-key") };

/**
 * Reads the CA and the client key pair named by `s`; undefined when none is named (then an
 * https:// or grpcs:// address is verified against Node's built-in roots). A file that cannot be
 * read, holds no certificate, or a key that is not the certificate's, is a ConfigError naming the setting.
 */
export function loadClientTls(s: ClientTlsSettings): ClientTls | undefined {
  const ca = s.tlsCa?.trim();
  const cert = s.tlsCert?.trim();
  const key = s.tlsKey?.trim();
  if (!ca && !cert && !key) return undefined;
  if (Boolean(cert) !== Boolean(key)) {
    throw new ConfigError(cert ? `${NAMES.tlsCert} is set but not ${NAMES.tlsKey}: a client certificate needs its key` : `${NAMES.tlsKey} is set but not ${NAMES.tlsCert}`);
  }
  const tls: ClientTls = {};
  if (ca) tls.ca = readCertificates(ca, "CA file", NAMES.tlsCa).pem;
  if (cert && key) {
    const pair = readKeyPair(cert, key, { cert: NAMES.tlsCert, key: NAMES.tlsKey });
    tls.cert = pair.cert;
    tls.key = pair.key;
  }
  return tls;
}

/** The settings named by SNAPTRAIL_TLS_CA, SNAPTRAIL_TLS_CERT and SNAPTRAIL_TLS_KEY. */
export function clientTlsSettingsFromEnv(env: NodeJS.ProcessEnv): ClientTlsSettings {
  return { tlsCa: env[CLIENT_TLS_ENV.tlsCa], tlsCert: env[CLIENT_TLS_ENV.tlsCert], tlsKey: env[CLIENT_TLS_ENV.tlsKey] };
}

/** `{ tls }` for a client's options when settings name files, else nothing (the client then reads the env). */
export function clientTlsOption(s: ClientTlsSettings): { tls?: ClientTls } {
  const tls = loadClientTls(s);
  return tls ? { tls } : {};
}

/**
 * The collector's gRPC address: HOST:PORT (plaintext), or grpcs://HOST:PORT for TLS (verified
 * against tlsCa, else Node's roots). grpc://HOST:PORT is the plaintext form spelt out.
 */
export function parseGrpcAddress(address: string): { target: string; tls: boolean } {
  const match = /^(grpcs?):\/\/(.+)$/.exec(address);
  if (!match) return { target: address, tls: false };
  return { target: match[2]!, tls: match[1] === "grpcs" };
}

/** A TLS setting given for a plaintext address is a mistake worth stopping for: the token would travel in clear. */
export function refusePlaintextWithTls(tls: ClientTls | undefined, address: string, setting: string, tlsForm: string): void {
  if (tls) throw new ConfigError(`TLS files are set (${NAMES.tlsCa} or ${NAMES.tlsCert}) but ${setting} ${address} is plaintext: write ${tlsForm}`);
}
