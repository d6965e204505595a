import { CLIENT_TLS_ENV, type ClientTls } from "./client-tls.js";

/**
 * Why a TLS connection to HOST:PORT fails, in words a person can act on, or undefined when a
 * handshake succeeds now. grpc-js reports any failed connection as TRANSIENT_FAILURE; this
 * repeats the handshake with node:tls and the same files to name the cause (an untrusted
 * certificate, a wrong name, a server that does not speak TLS, a client certificate refused).
 */
export async function diagnoseTls(target: string, tls: ClientTls, timeoutMs: number): Promise<string | undefined> {
  const { connect } = await import("node:tls");
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  if (!match) return undefined;
  const host = match[1]!;
  const port = Number(match[2]);
  const isIp = /^[\d.]+$|:/.test(host);
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      ...(isIp ? {} : { servername: host }),
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
      ALPNProtocols: ["h2"],
    });
    const done = (why: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`no TLS handshake within ${timeoutMs} ms`), timeoutMs);
    // A server asking for a client certificate says no only after the handshake: wait for its answer.
    socket.once("secureConnect", () => {
      socket.once("error", (err: NodeJS.ErrnoException) => done(describe(err)));
      // A collector that accepts the client sends its HTTP/2 settings at once; one that closes instead refused the certificate.
      socket.once("close", () =>
        done(
          tls.cert
            ? `the collector closed the connection after the handshake: it refused this client's certificate (${CLIENT_TLS_ENV.tlsCert}); is it signed by the CA the collector trusts (its --tls-client-ca)?`
            : `the collector closed the connection after the handshake: it asks for a client certificate (${CLIENT_TLS_ENV.tlsCert}, ${CLIENT_TLS_ENV.tlsKey})`,
        ),
      );
      socket.once("data", () => done(undefined));
      setTimeout(() => done(undefined), 200).unref();
    });
    socket.once("error", (err: NodeJS.ErrnoException) => done(describe(err)));
  });
}

function describe(err: NodeJS.ErrnoException): string {
  const code = err.code ?? "";
  // OpenSSL's messages carry addresses and source paths; its reason ("tlsv13 alert certificate required") is what reads.
  const reason = /SSL routines:[^:]*:([^:]+):/.exec(err.message)?.[1] ?? err.message;
  if (/^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT)/.test(code)) {
    return `the collector's certificate is not trusted (${code}): give the CA that signed it in ${CLIENT_TLS_ENV.tlsCa} (--tls-ca)`;
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return `the collector's certificate is for another name (${err.message})`;
  if (code.startsWith("CERT_")) return `the collector's certificate is refused (${code}: ${err.message})`;
  if (/wrong version number|packet length too long|unknown protocol/i.test(reason)) return "the collector does not speak TLS on this port (use a plaintext address, without grpcs:// or https://)";
  if (/alert (certificate required|unknown ca|bad certificate|certificate unknown|handshake failure|decrypt error)/i.test(reason)) {
    return `the collector refused this client's certificate, or wants one (${CLIENT_TLS_ENV.tlsCert}, ${CLIENT_TLS_ENV.tlsKey}): ${reason}`;
  }
  return `${code || "TLS"}: ${reason}`;
}
