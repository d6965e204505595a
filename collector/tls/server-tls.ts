import { createSecureContext } from "node:tls";
import { ConfigError, errorMessage } from "../../core/errors.js";
import { readCertificates, readKeyPair } from "../../core/tls/tls-files.js";
import type { CollectorOptions } from "../collector-options.js";

/** The collector's certificate files, read and checked: what both listeners serve. */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
  /** Agents must present a certificate this CA signed (gRPC ingest). */
  clientCa?: Buffer;
  /** The leaf certificate's subject and expiry, for the start line. */
  subject: string;
  validToMs: number;
}

const NAMES = {
  tlsCert: "tlsCert (--tls-cert, env SNAPTRAIL_COLLECTOR_TLS_CERT)",
  tlsKey: "tlsKey (--tls-key, env SNAPTRAIL_COLLECTOR_TLS_KEY)",
  tlsClientCa: "tlsClientCa (--tls-client-ca, env SNAPTRAIL_COLLECTOR_TLS_CLIENT_CA)",
};

/**
 * Reads and checks the TLS files before anything listens, so the collector starts secured as
 * asked or not at all: a missing or unreadable file, a certificate that is not its key's, an
 * expired certificate or an unreadable CA is a ConfigError naming the setting. Undefined: no TLS.
 */
export function loadServerTls(o: Pick<CollectorOptions, "tlsCert" | "tlsKey" | "tlsClientCa">, now = Date.now()): ServerTls | undefined {
  if (o.tlsCert === undefined || o.tlsKey === undefined) return undefined;
  const pair = readKeyPair(o.tlsCert, o.tlsKey, { cert: NAMES.tlsCert, key: NAMES.tlsKey });
  const validToMs = Date.parse(pair.leaf.validTo);
  if (validToMs <= now) throw new ConfigError(`the certificate ${o.tlsCert} (${NAMES.tlsCert}) expired on ${new Date(validToMs).toISOString()}: agents would refuse it`);
  if (Date.parse(pair.leaf.validFrom) > now) throw new ConfigError(`the certificate ${o.tlsCert} (${NAMES.tlsCert}) is not valid before ${pair.leaf.validFrom}`);
  const tls: ServerTls = { cert: pair.cert, key: pair.key, subject: pair.leaf.subject.replace(/\n/g, ", "), validToMs };
  if (o.tlsClientCa !== undefined) tls.clientCa = readCertificates(o.tlsClientCa, "client CA file", NAMES.tlsClientCa).pem;
  try {
    // What the listeners will do with these bytes, done once here where the error can name the files.
    createSecureContext({ cert: tls.cert, key: tls.key, ...(tls.clientCa ? { ca: tls.clientCa } : {}) });
  } catch (err) {
    throw new ConfigError(`the TLS files ${o.tlsCert} and ${o.tlsKey} (${NAMES.tlsCert}) are not usable: ${errorMessage(err)}`, { cause: err });
  }
  return tls;
}
