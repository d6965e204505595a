// The query API against its own OpenAPI document, with schemathesis: a real collector holding
// runs that real `snaptrail wrap` made (one job wrapped twice, its code changed and failing the
// second time), every documented GET operation, generated inputs (and the stored ids, digests and
// package names mixed in, so answers other than 404 are tested too). Checks: no 5xx, every status
// documented, every answer's content type and body as its schema says.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunDetail, RunPage } from "../../core/api-types.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { commitRepo } from "../helpers/git.js";
import { runCli } from "../helpers/run-cli.js";
import { schemathesis } from "../helpers/schemathesis.js";

const CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance"];

/** TOML strings: JSON's escaping is a subset of TOML's basic strings. */
const toml = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;

void describe("query API conforms to its OpenAPI document (schemathesis)", () => {
  let dir: string;
  let collector: CollectorProcess;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-schemathesis-"));
    const repo = join(dir, "repo");
    commitRepo(repo, { "train.py": "print('trained')\n" });
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db") });
    const env = {
      ...process.env,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
      SNAPTRAIL_CACHE_DIR: join(dir, "cache"),
    };
    const good = await runCli(["wrap", "--", "python3", "train.py"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: "local:nightly/train/1" } });
    assert.equal(good.code, 0, good.stderr);
    writeFileSync(join(repo, "train.py"), "import sys\nprint('broken')\nsys.exit(3)\n");
    const bad = await runCli(["wrap", "--", "python3", "train.py"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: "local:nightly/train/2" } });
    assert.equal(bad.code, 3, bad.stderr);
  });
  after(async () => {
    const exit = await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(exit, { code: 0, signal: null }, collector?.stderr());
  });

  void it("answers every GET operation's generated requests without a 5xx, as documented", async () => {
    const list = (await (await fetch(`${collector.httpUrl}/api/v1/runs`)).json()) as RunPage;
    assert.deepEqual(list.runs.map((r) => [r.runId, r.status]), [["local:nightly/train/2", "failed"], ["local:nightly/train/1", "succeeded"]]);
    const runIds = list.runs.map((r) => r.runId);
    const details = await Promise.all(
      runIds.map(async (id) => {
        const res = await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(id)}`);
        const text = await res.text();
        assert.equal(res.status, 200, text);
        return JSON.parse(text) as RunDetail;
      }),
    );
    const digests = [...new Set(list.runs.flatMap((r) => [r.environmentDigest, r.hostDigest, r.codeDigest]).filter((d): d is string => d !== null))];
    const archives = details.map((d) => String((d.code as { archiveDigest?: string } | null)?.archiveDigest ?? "")).filter((d) => d !== "");
    assert.ok(archives.length > 0, "the runs' code archives are in the blob store");
    const packages = (details[0]?.environment?.packages ?? []).map((p) => p.name).slice(0, 20);

    // Stored values mixed into the generated ones, so the 200 answers are checked too.
    const config = join(dir, "schemathesis.toml");
    writeFileSync(
      config,
      [
        `[dictionaries.runs]\nvalues = ${toml([...runIds, "local:nightly"])}`,
        `[dictionaries.digests]\nvalues = ${toml([...digests, ...archives])}`,
        `[dictionaries.packages]\nvalues = ${toml(packages.length > 0 ? packages : ["pip"])}`,
        "[parameters]",
        '"path.runId" = { dictionary = "runs", probability = 0.5 }',
        '"query.a" = { dictionary = "runs", probability = 0.5 }',
        '"query.b" = { dictionary = "runs", probability = 0.5 }',
        '"path.digest" = { dictionary = "digests", probability = 0.5 }',
        '"query.environment" = { dictionary = "digests", probability = 0.3 }',
        '"path.name" = { dictionary = "packages", probability = 0.5 }',
        "",
      ].join("\n"),
    );
    const report = join(dir, "junit.xml");
    const run = await schemathesis(dir, config, `${collector.httpUrl}/api/v1/openapi.json`, [
      "--checks",
      CHECKS.join(","),
      "--max-examples",
      "25",
      "--seed",
      "20261207",
      "--workers",
      "1",
      "--no-shrink",
      "--output-truncate",
      "true",
      "--report",
      "junit",
      "--report-junit-path",
      report,
    ]);
    assert.equal(run.code, 0, run.output.slice(-6000));
    // Every documented operation was tested.
    const doc = (await (await fetch(`${collector.httpUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, object> };
    const operations = Object.keys(doc.paths).length;
    assert.ok(operations >= 10, `${operations} operations documented`);
    assert.match(run.output, new RegExp(`Tested: ${operations}\\b`), run.output.slice(-3000));
  });
});
