import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Command } from "commander";
import { registerDiffCommand } from "../../cli/commands/diff.js";
import { parsePackageFilter, registerRunsCommand, runQueryFromFlags } from "../../cli/commands/runs.js";
import { registerShowCommand } from "../../cli/commands/show.js";
import { shouldUseColor } from "../../cli/render/cli-output.js";
import { diffRuns } from "../../collector/diff/diff-runs.js";
import type { RunDiff } from "../../core/api-types.js";
import { SnaptrailError } from "../../core/errors.js";
import { environment, pkg, run } from "../helpers/diff-fixtures.js";
import { MemoryBlobStore } from "../helpers/memory-blob-store.js";

void describe("--package parsing", () => {
  const cases: Array<[string, { package: string; version?: string }]> = [
    ["pydantic", { package: "pydantic" }],
    ["pydantic==2.7.1", { package: "pydantic", version: "2.7.1" }],
    ["pydantic>=2", { package: "pydantic", version: ">=2" }],
    ["pydantic >=2, <3", { package: "pydantic", version: ">=2,<3" }],
    ["Typing_Extensions~=4.9", { package: "Typing_Extensions", version: "~=4.9" }],
    ["numpy!=1.26.0", { package: "numpy", version: "!=1.26.0" }],
    ["torch==2.1.*", { package: "torch", version: "==2.1.*" }],
    ["torch===2.1.0+cu121", { package: "torch", version: "===2.1.0+cu121" }],
    ["pydantic[email]==2.7.1", { package: "pydantic", version: "2.7.1" }],
  ];
  for (const [spec, want] of cases) void it(spec, () => assert.deepEqual(parsePackageFilter(spec), want));

  void it("rejects what is not a name or a specifier", () => {
    for (const bad of ["", ">=2", "pydantic 2.7.1", "pydantic@2"]) {
      assert.throws(() => parsePackageFilter(bad), (e: unknown) => e instanceof SnaptrailError && e.code === "BAD_INPUT", bad);
    }
  });

  void it("builds the query and names the wrong flag", () => {
    assert.deepEqual(runQueryFromFlags({ pipeline: "p", status: "FAILED", package: "pydantic>=2", limit: "20" }), {
      pipeline: "p",
      status: "failed",
      package: "pydantic",
      version: ">=2",
      limit: 20,
    });
    assert.throws(() => runQueryFromFlags({ status: "ok" }), /--status must be one of running, succeeded, failed/);
    assert.throws(() => runQueryFromFlags({ limit: "0" }), /--limit must be a positive whole number/);
  });
});

void describe("colour choice", () => {
  void it("follows the flag, then NO_COLOR, then whether stdout is a terminal", () => {
    assert.equal(shouldUseColor(true, { isTTY: false }, { NO_COLOR: "1" }), true);
    assert.equal(shouldUseColor(false, { isTTY: true }, {}), false);
    assert.equal(shouldUseColor(undefined, { isTTY: true }, { NO_COLOR: "1" }), false);
    assert.equal(shouldUseColor(undefined, { isTTY: true }, { NO_COLOR: "" }), true);
    assert.equal(shouldUseColor(undefined, { isTTY: false }, {}), false);
  });
});

void describe("runs, show and diff commands against an HTTP collector", () => {
  let server: Server;
  let url: string;
  let diff: RunDiff;
  const seen: string[] = [];

  before(async () => {
    diff = await diffRuns(
      run("a"),
      run("b", { environment: environment({ packages: [pkg("numpy", "1.26.4"), pkg("pydantic", "2.7.1"), pkg("requests", "2.31.0")] }) }),
      new MemoryBlobStore(),
    );
    server = createServer((req, res) => {
      seen.push(req.url ?? "");
      const u = new URL(req.url ?? "/", "http://x");
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (u.pathname === "/api/v1/runs") return send(200, { runs: [run("airflow:d/r/t/1")] });
      if (u.pathname === "/api/v1/runs/a") return send(200, run("a"));
      if (u.pathname === "/api/v1/diff" && u.searchParams.get("a") === "a") return send(200, diff);
      send(404, { code: "NOT_FOUND", message: `no run matches ${u.searchParams.get("a") ?? u.pathname}` });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    return cliWithEnv({}, ...args);
  }

  async function cliWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    let stdout = "";
    let stderr = "";
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env };
    const program = new Command("snaptrail").exitOverride().enablePositionalOptions();
    registerRunsCommand(program, io);
    registerShowCommand(program, io);
    registerDiffCommand(program, io);
    const saved = process.exitCode;
    process.exitCode = 0;
    try {
      await program.parseAsync(["node", "snaptrail", ...args]);
      return { stdout, stderr, exitCode: Number(process.exitCode ?? 0) };
    } finally {
      process.exitCode = saved;
    }
  }

  void it("runs: sends the filters and prints a table", async () => {
    const r = await cli("runs", "--collector-http", url, "--package", "pydantic==2.7.1", "--status", "failed", "--limit", "5", "--no-color");
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(seen.at(-1), "/api/v1/runs?status=failed&package=pydantic&version=2.7.1&limit=5");
    assert.match(r.stdout, /^RUN\s+PIPELINE\/STEP/);
    assert.match(r.stdout, /airflow:d\/r\/t\/1\s+nightly_train\/train\s+succeeded/);
  });

  void it("runs --json prints the API object", async () => {
    const r = await cli("runs", "--collector-http", url, "--json");
    assert.deepEqual(JSON.parse(r.stdout), { runs: [JSON.parse(JSON.stringify(run("airflow:d/r/t/1")))] });
    assert.ok(r.stdout.startsWith('{\n  "runs": ['));
  });

  void it("takes the address from SNAPTRAIL_COLLECTOR_HTTP", async () => {
    const r = await cliWithEnv({ SNAPTRAIL_COLLECTOR_HTTP: url }, "show", "a", "--no-color");
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^run\s+a$/m);
  });

  void it("diff prints the rendered diff, or JSON", async () => {
    const r = await cli("diff", "a", "b", "--collector-http", url, "--no-color");
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /pydantic {2}1\.10\.13 → 2\.7\.1 {2}upgrade {2}MAJOR/);
    assert.ok(!/\x1b\[/.test(r.stdout)); // eslint-disable-line no-control-regex
    const j = await cli("diff", "a", "b", "--collector-http", url, "--json");
    assert.deepEqual(JSON.parse(j.stdout), JSON.parse(JSON.stringify(diff)));
  });

  void it("reports a missing run on stderr with exit code 2 and no stack", async () => {
    const r = await cli("show", "nope", "--collector-http", url);
    assert.equal(r.exitCode, 2);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "snaptrail: no run matches nope\n");
  });

  void it("reports an unreachable collector with exit code 1", async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const r = await cli("diff", "a", "b", "--collector-http", deadUrl);
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /^snaptrail: cannot reach the collector at http:\/\/127\.0\.0\.1:\d+: is `snaptrail collector` running\?/);
    assert.ok(!r.stderr.includes("    at "), "no stack trace");
  });

  void it("reports a bad flag value with exit code 1", async () => {
    const r = await cli("runs", "--collector-http", url, "--limit", "many");
    assert.equal(r.exitCode, 1);
    assert.equal(r.stderr, 'snaptrail: --limit must be a positive whole number, not "many"\n');
  });
});
