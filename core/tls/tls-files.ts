import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigError, errorMessage } from "../errors.js";

// Certificate files are read and checked once, at start, so a wrong one stops the process with
// a message naming the setting instead of surfacing later as an opaque handshake failure.

/** A setting as a person would look for it: "tlsCert (--tls-cert, env SNAPTRAIL_COLLECTOR_TLS_CERT)". */
export type SettingName = string;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function readPem(file: string, what: string, setting: SettingName): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the ${what} ${file} (${setting}): ${errorMessage(err)}`, { cause: err });
  }
  if (text.trim() === "") throw new ConfigError(`the ${what} ${file} (${setting}) is empty`);
  return text;
}

/** Every certificate of a PEM file (a chain, or a CA bundle), parsed; none or one unparseable is a ConfigError. */
export function readCertificates(file: string, what: string, setting: SettingName): { pem: Buffer; certificates: X509Certificate[] } {
  const text = readPem(file, what, setting);
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new ConfigError(`the ${what} ${file} (${setting}) holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  const certificates = blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new ConfigError(`certificate ${i + 1} of the ${what} ${file} (${setting}) cannot be parsed: ${errorMessage(err)}`, { cause: err });
    }
  });
  return { pem: Buffer.from(text), certificates };
}

/** A PEM private key, parsed; an encrypted or malformed one is a ConfigError naming the setting. */
export function readPrivateKey(file: string, setting: SettingName): { pem: Buffer; key: KeyObject } {
  const text = readPem(file, "private key", setting);
  try {
    return { pem: Buffer.from(text), key: createPrivateKey(text) };
  } catch (err) {
    throw new ConfigError(`the private key ${file} (${setting}) cannot be read as an unencrypted PEM key: ${errorMessage(err)}`, { cause: err });
  }
}

export interface KeyPair {
  /** The certificate chain, leaf first, as PEM. */
  cert: Buffer;
  key: Buffer;
  leaf: X509Certificate;
}

/** A certificate chain and its private key; a key that is not the leaf certificate's is a ConfigError naming both settings. */
export function readKeyPair(certFile: string, keyFile: string, names: { cert: SettingName; key: SettingName }): KeyPair {
  const { pem: cert, certificates } = readCertificates(certFile, "certificate", names.cert);
  const { pem: key, key: keyObject } = readPrivateKey(keyFile, names.key);
  const leaf = certificates[0]!;
  if (!leaf.checkPrivateKey(keyObject)) {
    throw new ConfigError(`the certificate ${certFile} (${names.cert}) does not match the private key ${keyFile} (${names.key}): its public key is another key's`);
  }
  return { cert, key, leaf };
}
