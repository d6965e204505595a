import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runOrFail } from "./python-env.js";

export interface TestCertificates {
  /** PEM of the test CA, as a cluster's ca.crt. */
  caPem: string;
  /** PEM of a CA that signed nothing here: a client trusting it must refuse the server. */
  otherCaPem: string;
  serverKeyPem: string;
  serverCertPem: string;
  /** A client certificate the test CA signed (extendedKeyUsage clientAuth), for mutual TLS. */
  clientKeyPem: string;
  clientCertPem: string;
  /** A client certificate signed by the other CA: mutual TLS must refuse it. */
  otherClientKeyPem: string;
  otherClientCertPem: string;
}

async function ca(dir: string, name: string): Promise<void> {
  await runOrFail("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
    "-subj", `/CN=${name}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    "-keyout", path.join(dir, `${name}.key`), "-out", path.join(dir, `${name}.crt`),
  ]);
}

/**
 * A throwaway CA, a server certificate it signed for 127.0.0.1 and localhost and a client
 * certificate, plus a second CA with a client certificate of its own, made with the
 * openssl command (CI installs it). A missing openssl fails the test; it never skips.
 */
export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "snaptrail-ca-"));
  try {
    await ca(dir, "test-cluster-ca");
    await ca(dir, "other-ca");
    const key = path.join(dir, "server.key");
    const csr = path.join(dir, "server.csr");
    await runOrFail("openssl", ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=kube-apiserver", "-keyout", key, "-out", csr]);
    const ext = path.join(dir, "server.ext");
    writeFileSync(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    await runOrFail("openssl", [
      "x509", "-req", "-in", csr, "-CA", path.join(dir, "test-cluster-ca.crt"), "-CAkey", path.join(dir, "test-cluster-ca.key"),
      "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", path.join(dir, "server.crt"),
    ]);
    for (const [name, signer] of [["client", "test-cluster-ca"], ["other-client", "other-ca"]] as const) {
      await runOrFail("openssl", ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", `/CN=${name}`, "-keyout", path.join(dir, `${name}.key`), "-out", path.join(dir, `${name}.csr`)]);
      writeFileSync(path.join(dir, `${name}.ext`), "extendedKeyUsage=clientAuth\n");
      await runOrFail("openssl", [
        "x509", "-req", "-in", path.join(dir, `${name}.csr`), "-CA", path.join(dir, `${signer}.crt`), "-CAkey", path.join(dir, `${signer}.key`),
        "-CAcreateserial", "-days", "2", "-extfile", path.join(dir, `${name}.ext`), "-out", path.join(dir, `${name}.crt`),
      ]);
    }
    const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
    return {
      caPem: read("test-cluster-ca.crt"),
      otherCaPem: read("other-ca.crt"),
      serverKeyPem: read("server.key"),
      serverCertPem: read("server.crt"),
      clientKeyPem: read("client.key"),
      clientCertPem: read("client.crt"),
      otherClientKeyPem: read("other-client.key"),
      otherClientCertPem: read("other-client.crt"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
