import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { CollectorHttpClient, resolveCollectorUrl } from "../../core/collector-http-client.js";
import { ERROR_CODES, errorForCode, NotFoundError, SnaptrailError, UnavailableError } from "../../core/errors.js";
import { run } from "../helpers/diff-fixtures.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

void describe("CollectorHttpClient", () => {
  const requests: string[] = [];
  let server: Server;
  let url: string;

  before(async () => {
    ({ server, url } = await listen((req, res) => {
      requests.push(req.url ?? "");
      const u = new URL(req.url ?? "/", "http://x");
      if (u.pathname === "/api/v1/runs") return json(res, 200, { runs: [run("airflow:d/r/t/1")] });
      if (u.pathname === "/api/v1/runs/airflow%3Ad%2Fr%2Ft%2F1") return json(res, 200, run("airflow:d/r/t/1"));
      if (u.pathname.startsWith("/api/v1/runs/")) return json(res, 404, { code: "NOT_FOUND", message: "run not found" });
      if (u.pathname === "/api/v1/diff" && u.searchParams.get("a") === "missing") return json(res, 404, { code: "NOT_FOUND", message: "no run matches missing" });
      if (u.pathname === "/api/v1/diff" && u.searchParams.get("a") === "ambiguous") return json(res, 400, { code: "BAD_INPUT", message: "run prefix ambiguous matches 2 runs" });
      if (u.pathname === "/api/v1/diff" && u.searchParams.get("a") === "3f") {
        return json(res, 409, { code: "AMBIGUOUS", message: 'a "3f" matches more than one run; give more of the id', candidates: ["3f01", "3f02"] });
      }
      const answerCode = /^code:(.*)$/.exec(u.searchParams.get("a") ?? "");
      if (u.pathname === "/api/v1/diff" && answerCode) return json(res, 422, { code: answerCode[1], message: `failed with ${answerCode[1]}` });
      if (u.pathname === "/api/v1/diff" && u.searchParams.get("a") === "boom") return json(res, 500, { code: "INTERNAL", message: "database is locked" });
      if (u.pathname === "/api/v1/diff" && u.searchParams.get("a") === "html") {
        res.writeHead(502, { "content-type": "text/html" });
        return res.end("<html>bad gateway</html>");
      }
      if (u.pathname === "/api/v1/diff") return json(res, 200, { identical: true });
      json(res, 404, { error: "no route", code: "NOT_FOUND" }); // the shape of collectors before {code, message}
    }));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  void it("lists runs with only the query parameters that are set", async () => {
    const client = new CollectorHttpClient(`${url}/`);
    const runs = await client.listRuns({ pipeline: "nightly train", package: "pydantic", version: ">=2,<3", limit: 5 });
    assert.equal(runs[0]?.runId, "airflow:d/r/t/1");
    const sent = new URL(requests.at(-1) ?? "", "http://x");
    assert.equal(sent.pathname, "/api/v1/runs");
    assert.deepEqual(Object.fromEntries(sent.searchParams), { pipeline: "nightly train", package: "pydantic", version: ">=2,<3", limit: "5" });
    await client.listRuns({});
    assert.equal(requests.at(-1), "/api/v1/runs");
  });

  void it("gets a run by its url-encoded id", async () => {
    const r = await new CollectorHttpClient(url).getRun("airflow:d/r/t/1");
    assert.equal(r.runId, "airflow:d/r/t/1");
    assert.equal(requests.at(-1), "/api/v1/runs/airflow%3Ad%2Fr%2Ft%2F1");
  });

  void it("turns a 404 into NotFoundError naming the run", async () => {
    await assert.rejects(new CollectorHttpClient(url).getRun("nope"), (err: unknown) => {
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.message, "no run matches nope");
      return true;
    });
  });

  void it("diffs two runs and passes the collector's messages through", async () => {
    const client = new CollectorHttpClient(url);
    assert.deepEqual(await client.diff("a/1", "b 2"), { identical: true });
    assert.equal(requests.at(-1), "/api/v1/diff?a=a%2F1&b=b+2");
    await assert.rejects(client.diff("missing", "x"), (err: unknown) => err instanceof NotFoundError && err.message === "no run matches missing");
    await assert.rejects(client.diff("ambiguous", "x"), (err: unknown) => err instanceof SnaptrailError && err.code === "BAD_INPUT" && /ambiguous/.test(err.message));
    await assert.rejects(
      client.diff("3f", "x"),
      (err: unknown) => err instanceof SnaptrailError && err.code === "BAD_INPUT" && err.message === 'a "3f" matches more than one run; give more of the id: 3f01, 3f02',
    );
    await assert.rejects(client.diff("boom", "x"), (err: unknown) => err instanceof SnaptrailError && err.code === "INTERNAL" && /HTTP 500.*database is locked/.test(err.message));
    await assert.rejects(client.diff("html", "x"), (err: unknown) => err instanceof SnaptrailError && err.code === "INTERNAL" && /HTTP 502/.test(err.message));
  });

  void it("reads every error code the collector can answer with as that code's own error class", async () => {
    const client = new CollectorHttpClient(url);
    for (const code of ERROR_CODES) {
      await assert.rejects(client.diff(`code:${code}`, "x"), (err: unknown) => {
        assert.ok(err instanceof SnaptrailError, code);
        assert.equal(err.code, code);
        assert.equal(err.constructor, errorForCode(code, "").constructor, `${code} came back as ${err.name}`);
        assert.match(err.message, new RegExp(`failed with ${code}`));
        return true;
      });
    }
    // A code that is not ours falls back on the HTTP status.
    await assert.rejects(client.diff("code:NOT_OURS", "x"), (err: unknown) => err instanceof SnaptrailError && err.code === "BAD_INPUT");
  });

  void it("says how to fix it when the collector is not running", async () => {
    const { server: s, url: deadUrl } = await listen(() => undefined);
    await new Promise<void>((resolve) => s.close(() => resolve()));
    await assert.rejects(new CollectorHttpClient(deadUrl).listRuns({}), (err: unknown) => {
      assert.ok(err instanceof UnavailableError);
      assert.equal(
        err.message,
        `cannot reach the collector at ${deadUrl}: is \`snaptrail collector\` running? (set --collector-http or SNAPTRAIL_COLLECTOR_HTTP)`,
      );
      return true;
    });
  });

  void it("times out with UnavailableError", async () => {
    const { server: slow, url: slowUrl } = await listen(() => undefined); // never answers
    try {
      await assert.rejects(new CollectorHttpClient(slowUrl, { timeoutMs: 100 }).getRun("x"), (err: unknown) => err instanceof UnavailableError && /did not answer/.test(err.message));
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  void it("rejects an address that is not an http URL", () => {
    assert.throws(() => new CollectorHttpClient("127.0.0.1:8077"), (err: unknown) => err instanceof SnaptrailError && err.code === "BAD_CONFIG");
  });

  void it("resolves the address: flag, then env, then default", () => {
    assert.equal(resolveCollectorUrl("http://a:1", { SNAPTRAIL_COLLECTOR_HTTP: "http://b:2" }), "http://a:1");
    assert.equal(resolveCollectorUrl(undefined, { SNAPTRAIL_COLLECTOR_HTTP: "http://b:2" }), "http://b:2");
    assert.equal(resolveCollectorUrl(undefined, {}), "http://127.0.0.1:8077");
  });
});
