// Hostile input over the HTTP query API of a real collector process: wrong methods, URLs too
// long for the router or for node's HTTP parser, bad percent-encoding, repeated and malformed
// query parameters. Each gets a clear status and the one error shape {code, message}.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request with node:http (fetch refuses some of these methods and URLs). */
function send(base: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    // content-length always: node sends a DELETE body without one, which reads as a second request.
    const length = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { ...headers, ...length, connection: "close" } }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (s: string) => (text += s));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Every error answer: a JSON object with a string code and a string message, nothing of fastify's own shape. */
function errorBody(answer: Answer, what: string): { code: string; message: string } & Record<string, unknown> {
  assert.match(String(answer.headers["content-type"]), /^application\/json/, `${what}: ${answer.text.slice(0, 200)}`);
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  assert.equal(typeof body.code, "string", `${what}: ${answer.text.slice(0, 200)}`);
  assert.equal(typeof body.message, "string", `${what}: ${answer.text.slice(0, 200)}`);
  assert.ok(!("error" in body) && !("statusCode" in body), `${what}: one shape {code, message}, got ${answer.text.slice(0, 200)}`);
  return body as { code: string; message: string };
}

void describe("collector process with hostile HTTP input", () => {
  let collector: CollectorProcess;

  before(async () => {
    collector = await startCollectorProcess();
  });
  after(async () => {
    const exit = await collector?.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, collector?.stderr());
  });

  void it("answers a wrong method on an existing route with 405 and an Allow header, before reading the body", async () => {
    const routes = ["/healthz", "/api/v1/runs", "/api/v1/runs/local%3Ax%2F1", "/api/v1/diff?a=x&b=y", `/api/v1/blobs/sha256:${"0".repeat(64)}`];
    for (const path of routes) {
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        // A body that is not JSON at all: the method is wrong whatever it carries.
        const answer = await send(collector.httpUrl, method, path, "{not json", { "content-type": "application/json" });
        assert.equal(answer.status, 405, `${method} ${path}: ${answer.text}`);
        assert.equal(answer.headers.allow, "GET, HEAD", `${method} ${path}`);
        const body = errorBody(answer, `${method} ${path}`);
        assert.equal(body.code, "METHOD_NOT_ALLOWED");
        assert.equal(body.message, `${method} is not allowed on ${path.split("?")[0]!}; use GET`);
      }
    }
    const head = await send(collector.httpUrl, "HEAD", "/api/v1/runs");
    assert.equal(head.status, 200);
    const none = await send(collector.httpUrl, "POST", "/api/v2/nothing", "{not json", { "content-type": "application/json" });
    assert.equal(none.status, 404);
    assert.equal(errorBody(none, "POST /api/v2/nothing").code, "NOT_FOUND");
  });

  void it("answers a path parameter too long for the router with 414, without echoing the URL", async () => {
    const long = "a".repeat(9000);
    const answer = await send(collector.httpUrl, "GET", `/api/v1/runs/${long}`);
    assert.equal(answer.status, 414);
    const body = errorBody(answer, "414");
    assert.equal(body.code, "URI_TOO_LONG");
    assert.ok(answer.text.length < 400, `a short answer, got ${answer.text.length} bytes`);
    assert.ok(!answer.text.includes("a".repeat(100)), "the URL is not echoed back");
  });

  void it("answers a URL over the HTTP parser's header limit with 431 in the same shape", async () => {
    const answer = await send(collector.httpUrl, "GET", `/api/v1/runs?pipeline=${"b".repeat(20_000)}`);
    assert.equal(answer.status, 431);
    assert.equal(errorBody(answer, "431").code, "TOO_LARGE");
    assert.ok(!answer.text.includes("b".repeat(100)), "the URL is not echoed back");
  });

  void it("answers bad percent-encoding with 400 in the same shape", async () => {
    const answer = await send(collector.httpUrl, "GET", "/api/v1/runs/%zz");
    assert.equal(answer.status, 400);
    const body = errorBody(answer, "bad url");
    assert.equal(body.code, "BAD_INPUT");
    assert.match(body.message, /percent-encoding/);
  });

  void it("says a query parameter is given twice, not that it is required", async () => {
    for (const path of ["/api/v1/runs?pipeline=a&pipeline=b", "/api/v1/runs?limit=1&limit=2", "/api/v1/diff?a=x&a=y&b=z"]) {
      const answer = await send(collector.httpUrl, "GET", path);
      assert.equal(answer.status, 400, path);
      const body = errorBody(answer, path);
      assert.equal(body.code, "BAD_INPUT");
      const name = /\?(?:.*&)?(\w+)=[^&]*&\1=/.exec(path)?.[1];
      assert.equal(body.message, `invalid query parameter ${name}: given twice; give it once`, path);
      assert.equal(body.parameter, name);
    }
    const missing = await send(collector.httpUrl, "GET", "/api/v1/diff?a=x");
    assert.match(errorBody(missing, "missing b").message, /^invalid query parameter b: is required/);
  });

  void it("refuses a version filter that is neither a PEP 440 version nor a specifier, naming the parameter", async () => {
    for (const version of ["((((", "1.0 or 2.0", ">=", "=="]) {
      const answer = await send(collector.httpUrl, "GET", `/api/v1/runs?package=numpy&version=${encodeURIComponent(version)}`);
      assert.equal(answer.status, 400, `${version}: ${answer.text}`);
      const body = errorBody(answer, version);
      assert.equal(body.code, "BAD_INPUT");
      assert.match(body.message, /^invalid query parameter version: /, version);
      assert.equal(body.parameter, "version");
    }
    // Versions that are not PEP 440 but real (conda, local builds) still filter exactly.
    for (const version of ["1.26.4", "2.3.0+cu121", "2021a", "1.2.3_py39"]) {
      const answer = await send(collector.httpUrl, "GET", `/api/v1/runs?package=numpy&version=${encodeURIComponent(version)}`);
      assert.equal(answer.status, 200, `${version}: ${answer.text}`);
    }
  });

  void it("keeps every error answer in one shape: not found, bad digest, unknown parameter", async () => {
    const cases: [string, number, string][] = [
      ["/api/v1/runs/local:none/1", 404, "NOT_FOUND"],
      ["/api/v1/blobs/sha256:zz", 400, "BAD_INPUT"],
      ["/api/v1/runs?pipline=x", 400, "BAD_INPUT"],
      ["/api/v1/runs?limit=0", 400, "BAD_INPUT"],
      ["/nothing/here", 404, "NOT_FOUND"],
    ];
    for (const [path, status, code] of cases) {
      const answer = await send(collector.httpUrl, "GET", path);
      assert.equal(answer.status, status, path);
      assert.equal(errorBody(answer, path).code, code, path);
    }
  });
});
