// Tokens and roles, end to end against a real collector started with --auth tokens: every HTTP
// route (from the API's own route list, so a new route cannot be left out) and every gRPC method
// against every role, and the missing, malformed, unknown, expired and revoked token; an agent
// token runs `wrap` and `wrap --cache` and nothing more; tokens are kept hashed.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { HTTP_ROUTE_PERMISSIONS, OPEN } from "../../collector/auth/route-permissions.js";
import { buildHttpApi } from "../../collector/query/http-api.js";
import { openSqliteStore } from "../../collector/store/sqlite-store.js";
import { allows, ROLES, type Role } from "../../core/auth/roles.js";
import { sha256Digest } from "../../core/digest.js";
import { loadCollectorGrpc } from "../../proto/grpc-definition.js";
import type { CollectorClient } from "../../proto/generated/snaptrail/v1/Collector.js";
import { commitRepo } from "../helpers/git.js";
import { MemoryBlobStore } from "../helpers/memory-blob-store.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { runCli } from "../helpers/run-cli.js";
import { startedEvent } from "../helpers/collector-fixtures.js";
import pino from "pino";
import type { HTTPMethods } from "fastify";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-auth-"));
const db = join(dir, "snaptrail.db");
let collector: CollectorProcess;
const tokens = {} as Record<Role | "expired" | "revoked", string>;

async function createToken(role: Role, extra: string[] = []): Promise<string> {
  const r = await runCli(["token", "create", "--db", db, "--role", role, "--name", `test ${role}`, ...extra]);
  assert.equal(r.code, 0, r.stderr);
  const token = r.stdout.toString().trim();
  assert.match(token, /^snaptrail_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  return token;
}

before(async () => {
  // The first admin token is made on the host against the store, before anything listens.
  tokens.admin = await createToken("admin");
  for (const role of ["agent", "reader", "operator"] as const) tokens[role] = await createToken(role);
  tokens.expired = await createToken("reader", ["--expires", "1s"]);
  tokens.revoked = await createToken("reader");
  collector = await startCollectorProcess({
    db,
    blobDir: join(dir, "blobs"),
    args: ["--auth", "tokens"],
    env: { ...process.env, SNAPTRAIL_COLLECTOR_AUTH_CACHE_MS: "200" },
  });
  const revoke = await runCli(["token", "revoke", "--db", db, tokens.revoked.slice(10, 26)]);
  assert.equal(revoke.code, 0, revoke.stderr);
  await new Promise((r) => setTimeout(r, 1200)); // past the expiry of `expired`
});
after(async () => {
  await collector?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, token?: string, method = "GET") =>
  fetch(`${collector.httpUrl}${path}`, { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

/** "POST /api/v1/runs/:runId/resubmit" -> ["POST", "/api/v1/runs/:runId/resubmit"]. */
function splitKey(key: string): [string, string] {
  const space = key.indexOf(" ");
  return [key.slice(0, space), key.slice(space + 1)];
}

/** A call of any method; a POST carries a well-formed body (a role check must not hinge on it). */
const call = (method: string, path: string, authorization?: string) =>
  fetch(`${collector.httpUrl}${path}`, {
    method,
    headers: { ...(authorization === undefined ? {} : { authorization }), ...(method === "POST" ? { "content-type": "application/json" } : {}) },
    ...(method === "POST" ? { body: JSON.stringify({ role: "reader", name: "from the role table" }) } : {}),
  });

/**
 * Whether each entry of the permission table is a route the API serves. The converse holds by
 * construction: the API refuses to build with a GET route the table lacks (its onRoute hook).
 */
async function unservedEntries(): Promise<string[]> {
  const store = openSqliteStore(":memory:");
  const app = await buildHttpApi({ store, blobs: new MemoryBlobStore(), logger: pino({ level: "silent" }) });
  await app.ready();
  const missing = Object.keys(HTTP_ROUTE_PERMISSIONS).filter((key) => {
    const [method, url] = splitKey(key) as [HTTPMethods, string];
    return !app.hasRoute({ method, url });
  });
  await app.close();
  await store.close();
  return missing;
}

void describe("collector with --auth tokens", () => {
  let runId: string;
  before(async () => {
    // A stored run and blob to ask about, published with the agent token.
    const client = await grpcClient();
    runId = `local:auth/${process.pid}`;
    await publishOne(client, runId, tokens.agent);
    client.close();
  });

  /** A path for each route, its parameters filled with things that exist. */
  const pathFor = (route: string): string =>
    route
      .replace(":runId", encodeURIComponent(runId))
      .replace(":digest", sha256Digest("nothing"))
      .replace(":key", sha256Digest("no key"))
      .replace(":name", "numpy")
      .replace(":id", "0123456789abcdef")
      .concat(route === "/api/v1/diff" ? `?a=${encodeURIComponent(runId)}&b=${encodeURIComponent(runId)}` : "");

  void it("has a permission for every route it serves, and serves every route in the table", async () => {
    assert.deepEqual(await unservedEntries(), []);
  });

  void it("answers each route for each role as its permission says, and 401 without a valid token", async () => {
    for (const entry of Object.entries(HTTP_ROUTE_PERMISSIONS)) {
      const [key, permission] = entry;
      const [method, route] = splitKey(key);
      const path = pathFor(route);
      for (const role of ROLES) {
        const res = await call(method, path, `Bearer ${tokens[role]}`);
        const body = await res.text();
        if (permission === OPEN || allows(role, permission)) {
          assert.ok(res.status !== 401 && res.status !== 403, `${role} ${key}: ${res.status} ${body}`);
        } else {
          assert.equal(res.status, 403, `${role} ${key}: ${body}`);
          assert.equal((JSON.parse(body) as { code: string }).code, "FORBIDDEN");
          assert.doesNotMatch(body, /runId|pipeline|sha256:[0-9a-f]{64}/, "a refusal carries no data");
        }
      }
      if (permission === OPEN) continue;
      for (const [what, header] of [
        ["missing", undefined],
        ["malformed", "Bearer not-a-token"],
        ["unknown", `Bearer snaptrail_0123456789abcdef_${"A".repeat(43)}`],
        ["expired", `Bearer ${tokens.expired}`],
        ["revoked", `Bearer ${tokens.revoked}`],
        ["wrong secret", `Bearer ${tokens.reader.slice(0, 27)}${"B".repeat(43)}`],
        ["basic", `Basic ${Buffer.from("a:b").toString("base64")}`],
      ] as const) {
        const res = await call(method, path, header);
        const body = await res.text();
        assert.equal(res.status, 401, `${what} token on ${key}: ${body}`);
        assert.equal((JSON.parse(body) as { code: string }).code, "UNAUTHENTICATED");
      }
    }
    assert.match(await (await get("/api/v1/runs", tokens.expired)).text(), /expired/);
    assert.match(await (await get("/api/v1/runs", tokens.revoked)).text(), /revoked/);
  });

  void it("lets an admin create, list and revoke tokens over HTTP: shown once, never the hash, refused once revoked", async () => {
    const admin = `Bearer ${tokens.admin}`;
    const post = (body: unknown) =>
      fetch(`${collector.httpUrl}/api/v1/tokens`, { method: "POST", headers: { authorization: admin, "content-type": "application/json" }, body: JSON.stringify(body) });
    const created = await post({ role: "reader", name: "over http", expiresInMs: 3_600_000 });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get("cache-control"), "no-store");
    const made = (await created.json()) as { token: string; id: string; role: string; name: string; state: string; expires: string };
    assert.match(made.token, /^snaptrail_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual([made.role, made.name, made.state], ["reader", "over http", "active"]);
    assert.equal((await get("/api/v1/runs", made.token)).status, 200, "the new token works");

    const listing = await (await fetch(`${collector.httpUrl}/api/v1/tokens`, { headers: { authorization: admin } })).text();
    assert.ok(listing.includes(made.id));
    assert.ok(!listing.includes(made.token.slice(27)), "the list never holds a secret");
    assert.doesNotMatch(listing, /secretSha256|[0-9a-f]{64}/, "nor a hash");

    const revoked = await fetch(`${collector.httpUrl}/api/v1/tokens/${made.id}`, { method: "DELETE", headers: { authorization: admin } });
    assert.deepEqual(await revoked.json(), { revoked: made.id });
    await new Promise((r) => setTimeout(r, 400)); // past SNAPTRAIL_COLLECTOR_AUTH_CACHE_MS (200)
    assert.equal((await get("/api/v1/runs", made.token)).status, 401);

    for (const [body, field] of [
      [{ role: "root" }, /invalid field role: must be one of agent, reader, operator, admin/],
      [{ role: "agent", expiresInMs: -5 }, /invalid field expiresInMs: must be positive/],
      [{ role: "agent", secret: "x" }, /unknown field secret/],
    ] as const) {
      const res = await post(body);
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { message: string }).message, field);
    }
    const unknown = await fetch(`${collector.httpUrl}/api/v1/tokens/0123456789abcdef`, { method: "DELETE", headers: { authorization: admin } });
    assert.equal(unknown.status, 404);
    const wrongMethod = await fetch(`${collector.httpUrl}/api/v1/tokens`, { method: "PUT", headers: { authorization: admin } });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "GET, HEAD, POST");
  });

  void it("gives an agent a run by its exact id only: a prefix is a search", async () => {
    const prefix = encodeURIComponent(runId.slice(0, -2));
    assert.equal((await get(`/api/v1/runs/${encodeURIComponent(runId)}`, tokens.agent)).status, 200);
    assert.equal((await get(`/api/v1/runs/${prefix}`, tokens.agent)).status, 404);
    assert.equal((await get(`/api/v1/runs/${prefix}`, tokens.reader)).status, 200);
  });

  void it("checks every gRPC method: agents publish, other roles and bad tokens are refused", async () => {
    const client = await grpcClient();
    try {
      await publishOne(client, `local:auth/agent-${process.pid}`, tokens.agent);
      for (const [token, code] of [
        [tokens.reader, grpc.status.PERMISSION_DENIED],
        [tokens.admin, grpc.status.PERMISSION_DENIED],
        [undefined, grpc.status.UNAUTHENTICATED],
        [tokens.revoked, grpc.status.UNAUTHENTICATED],
      ] as const) {
        await assert.rejects(publishOne(client, `local:auth/refused-${String(code)}`, token), (err: grpc.ServiceError) => err.code === code);
        await assert.rejects(hasDigests(client, token), (err: grpc.ServiceError) => err.code === code);
      }
      assert.equal((await get(`/api/v1/runs/${encodeURIComponent(`local:auth/refused-${grpc.status.PERMISSION_DENIED}`)}`, tokens.reader)).status, 404, "nothing refused was stored");
    } finally {
      client.close();
    }
  });

  void it("runs wrap and wrap --cache with an agent token, and refuses that token a listing", async () => {
    const repo = join(dir, "repo");
    commitRepo(repo, { "job.sh": "echo ran >> ../side.log\necho model > out.bin\n" }, "job");
    const env = {
      ...process.env,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
      SNAPTRAIL_TOKEN: tokens.agent,
      SNAPTRAIL_FINISH_TIMEOUT_MS: "10000",
    };
    for (const n of [1, 2]) {
      const r = await runCli(["wrap", "--cache", "--output", "out.bin", "--", "sh", "job.sh"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: `local:auth/cache-${process.pid}-${n}` } });
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal(readFileSync(join(dir, "side.log"), "utf8"), "ran\n", "the second run was a cache hit");
    const listing = await runCli(["runs"], { env });
    assert.notEqual(listing.code, 0);
    assert.match(listing.stderr, /agent token may not/);
    const asReader = await runCli(["runs", "--json"], { env: { ...env, SNAPTRAIL_TOKEN: tokens.reader } });
    assert.equal(asReader.code, 0, asReader.stderr);
    // Both runs reached the collector with the agent token (none waits in a spool).
    const listed = (JSON.parse(asReader.stdout.toString()) as { runs: { runId: string; cachedFrom: string | null }[] }).runs;
    assert.equal(listed.find((r) => r.runId === `local:auth/cache-${process.pid}-2`)?.cachedFrom, `local:auth/cache-${process.pid}-1`);
  });

  void it("keeps only hashes, and lists tokens with their state", async () => {
    const file = readFileSync(db);
    for (const t of Object.values(tokens)) assert.equal(file.includes(Buffer.from(t.slice(27))), false, "no token secret in the store file");
    const r = await runCli(["token", "list", "--db", db, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const listed = (JSON.parse(r.stdout.toString()) as { tokens: { id: string; state: string }[] }).tokens;
    const stateOf = (t: string) => listed.find((x) => x.id === t.slice(10, 26))?.state;
    assert.equal(stateOf(tokens.admin), "active");
    assert.equal(stateOf(tokens.expired), "expired");
    assert.equal(stateOf(tokens.revoked), "revoked");
    assert.doesNotMatch(r.stdout.toString(), /secret|sha256/i);
  });

  void it("refuses a revoked token within the cache interval", async () => {
    const t = await createToken("reader");
    assert.equal((await get("/api/v1/runs", t)).status, 200);
    assert.equal((await runCli(["token", "revoke", "--db", db, t])).code, 0);
    await new Promise((r) => setTimeout(r, 400)); // SNAPTRAIL_COLLECTOR_AUTH_CACHE_MS is 200 here
    assert.equal((await get("/api/v1/runs", t)).status, 401);
  });

  void it("names what is wrong with a bad token command", async () => {
    const role = await runCli(["token", "create", "--db", db, "--role", "root"]);
    assert.notEqual(role.code, 0);
    assert.match(role.stderr, /unknown role "root": one of agent, reader, operator, admin/);
    const expires = await runCli(["token", "create", "--db", db, "--role", "reader", "--expires", "soon"]);
    assert.match(expires.stderr, /--expires must be a positive duration/);
    const unknown = await runCli(["token", "revoke", "--db", db, "0123456789abcdef"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no token 0123456789abcdef/);
  });
});

async function grpcClient(): Promise<CollectorClient> {
  const { proto } = await loadCollectorGrpc();
  return new proto.snaptrail.v1.Collector(collector.grpcAddress, grpc.credentials.createInsecure());
}

function metadata(token: string | undefined): grpc.Metadata {
  const m = new grpc.Metadata();
  if (token) m.set("authorization", `Bearer ${token}`);
  return m;
}

function publishOne(client: CollectorClient, runId: string, token: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const call = client.publish(metadata(token));
    call.on("data", (ack: { outcome?: string | number }) => {
      if (ack.outcome === "STORED" || ack.outcome === "DUPLICATE") resolve();
      else reject(new Error(`ack ${JSON.stringify(ack)}`));
      call.end();
    });
    call.on("error", reject);
    call.write({ event: startedEvent(runId) });
  });
}

function hasDigests(client: CollectorClient, token: string | undefined): Promise<string[]> {
  return new Promise((resolve, reject) =>
    client.hasDigests({ digests: [sha256Digest("x")] }, metadata(token), (err, res) => (err || !res ? reject(err ?? new Error("no answer")) : resolve(res.present))),
  );
}
