import type { ClientTls } from "./client-tls.js";

/**
 * A fetch that verifies the server against `tls.ca` and presents `tls.cert`/`tls.key` (mutual
 * TLS). Node 20's global fetch takes neither without a second copy of undici, so this goes
 * through node:https, which does, and answers a standard Response. Enough of fetch for the
 * collector's JSON API: method, headers, a string or byte body, an AbortSignal.
 */
export function httpsFetch(tls: ClientTls): typeof fetch {
  return async (input, init = {}) => {
    const https = await import("node:https");
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => (headers[key] = value));
    const body = init.body === undefined || init.body === null ? undefined : typeof init.body === "string" ? init.body : Buffer.from(init.body as ArrayBuffer);
    return new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason as Error);
      const request = https.request(
        url,
        { method: init.method ?? "GET", headers, ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}), ...(signal ? { signal } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const status = res.statusCode ?? 502;
            const responseHeaders = new Headers();
            for (const [k, v] of Object.entries(res.headers)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) responseHeaders.append(k, one);
            const nullBody = status === 204 || status === 304 || init.method === "HEAD";
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? "", headers: responseHeaders }));
          });
        },
      );
      // Shaped like fetch's failure, so callers read the socket's code from `cause` either way.
      request.on("error", (err) => reject(signal?.aborted ? (signal.reason as Error) : new TypeError("fetch failed", { cause: err })));
      request.end(body);
    });
  };
}
