// The ClickHouse store on a current ClickHouse. The tests' server is Debian's 18.16 (2018); people
// run 25.x and later. So the Store contract runs here once more against 18.16, through a proxy that
// records every statement the store sends and every answer, and then each statement is replayed in
// chDB 26 (ClickHouse in process, PyPI chdb-core) in the same order: every one must run there and
// answer the same rows. The statements are captured, never written by hand. The replicated
// schema's DDL (ON CLUSTER, Replicated engines), which needs a cluster to run, is captured from the
// migration itself and must at least parse.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import type { ClickHouseClient } from "@clickhouse/client";
import { migrateClickHouse } from "../../collector/store/clickhouse-schema.js";
import { createStore } from "../../collector/store/create-store.js";
import { storeContract } from "../contract/store-contract.js";
import { cachedVenv } from "../helpers/cached-venv.js";
import { startRecordingProxy, type RecordedStatement, type RecordingProxy } from "../helpers/clickhouse-recording-proxy.js";
import { startClickHouseServer, TEST_PASSWORD, type ClickHouseServer } from "../helpers/clickhouse-server.js";
import { REPO_ROOT } from "../helpers/deploy-validators.js";

const execFileAsync = promisify(execFile);
const REQUIREMENTS = path.join(REPO_ROOT, "test", "requirements", "chdb-replay.txt");
const REPLAY_SCRIPT = path.join(REPO_ROOT, "test", "python", "chdb_replay.py");

let server: ClickHouseServer;
let proxy: RecordingProxy;
const env = { SNAPTRAIL_CLICKHOUSE_PASSWORD: TEST_PASSWORD };
const scratch = mkdtempSync(path.join(tmpdir(), "snaptrail-chdb-"));
let n = 0;

before(async () => {
  server = await startClickHouseServer();
  proxy = await startRecordingProxy(server.httpPort);
});
after(async () => {
  await proxy?.close();
  await server?.destroy();
  rmSync(scratch, { recursive: true, force: true });
});

storeContract("clickhouse 18.16, every statement recorded for chDB", () => createStore(proxy.via(server.storeUrl(`replay_${process.pid}_${++n}`)), { env }));

interface ReplayResult {
  ok: boolean;
  output?: string;
  error?: string;
}

async function replay(statements: { sql: string; mode: "run" | "parse" }[]): Promise<ReplayResult[]> {
  const venv = await cachedVenv("chdb-replay", REQUIREMENTS);
  const input = path.join(scratch, `statements-${Date.now()}.json`);
  writeFileSync(input, JSON.stringify(statements));
  const { stdout } = await execFileAsync(path.join(venv, "bin", "python"), [REPLAY_SCRIPT, input], { maxBuffer: 512 * 1024 * 1024, timeout: 600_000 });
  return JSON.parse(stdout) as ReplayResult[];
}

/**
 * JSONEachRow as rows; in order only where the statement asks for one. 18.16 quotes 64-bit
 * integers ("3"), a current ClickHouse does not (3; output_format_json_quote_64bit_integers now
 * defaults to 0): the store reads both (Number(...)), so both sides are compared with every bare
 * integer quoted. Done on the text, not after JSON.parse, which would round integers above 2^53.
 */
function rowsOf(sql: string, output: string): string[] {
  const rows = output
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.replace(/([:,[])(-?\d+)(?=[,}\]])/g, '$1"$2"'));
  return /\bORDER BY\b/i.test(sql) ? rows : rows.sort();
}

/** What the store's HTTP client adds that is not the statement: the client's own parameters. */
const isProbe = (s: RecordedStatement): boolean => s.sql.trim() === "" || /^SELECT 1\b/.test(s.sql.trim());

void describe("the store's statements on a current ClickHouse (chDB 26)", () => {
  void it("runs every statement the Store contract sent, in order, with the rows 18.16 answered", async () => {
    const recorded = proxy.statements.filter((s) => s !== undefined && !isProbe(s));
    assert.ok(recorded.length > 500, `only ${recorded.length} statements recorded`);
    const refusedBy18 = recorded.filter((s) => s.status !== 200);
    const results = await replay(recorded.map((s) => ({ sql: s.sql, mode: "run" })));
    const failures: string[] = [];
    recorded.forEach((s, i) => {
      const r = results[i]!;
      if (s.status !== 200) return; // 18.16 refused it (a lost race the store checks); nothing to compare
      if (!r.ok) {
        failures.push(`#${i} failed in chDB: ${r.error?.slice(0, 300)}\n  ${s.sql.slice(0, 300)}`);
        return;
      }
      const want = rowsOf(s.sql, s.response);
      const got = rowsOf(s.sql, r.output ?? "");
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        failures.push(`#${i} answered differently\n  ${s.sql.slice(0, 300)}\n  18.16: ${want.join(" ").slice(0, 300)}\n  chDB:  ${got.join(" ").slice(0, 300)}`);
      }
    });
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${recorded.length} statements differ (${refusedBy18.length} refused by 18.16 too)`);
  });

  void it("parses the replicated schema's DDL: every CREATE and ALTER ON CLUSTER of a fresh migration", async () => {
    // The migration itself, talking to a client that records instead of sending: a fresh database,
    // no column present, so every statement of every step is issued.
    const issued: string[] = [];
    const recorder = {
      query: () => Promise.resolve({ json: () => Promise.resolve([{ n: 0, v: 0 }]) }),
      command: ({ query }: { query: string }) => {
        issued.push(query);
        return Promise.resolve({});
      },
      insert: () => Promise.resolve({}),
    } as unknown as ClickHouseClient;
    await migrateClickHouse(recorder, { database: "snaptrail", replicated: true, cluster: "snaptrail" });
    const ddl = issued.filter((q) => /^(CREATE|ALTER|DROP|RENAME)\b/.test(q));
    assert.ok(ddl.length > 10 && ddl.every((q) => q.includes(" ON CLUSTER snaptrail")), ddl.join("\n"));
    assert.ok(issued.some((q) => /ReplicatedReplacingMergeTree/.test(q)));
    const results = await replay(issued.map((sql) => ({ sql, mode: "parse" })));
    const failures = issued.flatMap((sql, i) => (results[i]!.ok ? [] : [`${results[i]!.error?.slice(0, 300)}\n  ${sql.slice(0, 300)}`]));
    assert.deepEqual(failures, []);
    // Parsing is real: a broken statement is refused.
    const [broken] = await replay([{ sql: issued[0]!.replace("CREATE", "CRATE"), mode: "parse" }]);
    assert.equal(broken!.ok, false);
  });
});
