import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { redactionMarker } from "../../agent/env/redact.js";
import type { RestoreReport } from "../../agent/restore/restore-snapshot.js";
import type { RunDetail, RunDiff } from "../../core/api-types.js";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { commitRepo } from "../helpers/git.js";
import { readTar } from "../helpers/read-tar.js";
import { runCli } from "../helpers/run-cli.js";

// Secrets that reached the store before: a .env and a private key in the work tree, tokens in
// allow-listed URLs and in the command line. Through a real `snaptrail wrap` and a real collector.
const KEY_COMMITTED = "-----BEGIN OPENSSH PRIVATE KEY-----\nplainkeycommitted42\n-----END OPENSSH PRIVATE KEY-----\n";
const KEY_EDITED = "-----BEGIN OPENSSH PRIVATE KEY-----\nplainkeyedited42\n-----END OPENSSH PRIVATE KEY-----\n";
const DOTENV = "DB_PASSWORD=plaindotenv42\n";
const URL_ENV = {
  PIP_INDEX_URL: "https://plainpiptok42@pypi.internal.example/simple",
  UV_INDEX_URL: "https://pkgs.example/simple?api_key=plainuvkey42&channel=stable",
  MLFLOW_TRACKING_URI: "https://mlflow.example:5000/?token=plainmlflow42",
  SNAPTRAIL_FOO: "password=plainpw42",
};
const SECRETS = ["plainkeycommitted42", "plainkeyedited42", "plaindotenv42", "plainpiptok42", "plainuvkey42", "plainmlflow42", "plainpw42", "plainargpw42"];

void describe("secrets never reach the store", () => {
  let dir: string;
  let repo: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let env: NodeJS.ProcessEnv;
  const runs = { before: "local:test/secrets-before", a: "local:test/secrets-a", b: "local:test/secrets-b", salted: "local:test/secrets-salted" };
  const wrapped: Record<string, string> = {};
  const wrap = async (runId: string, extra: NodeJS.ProcessEnv = {}) => {
    const r = await runCli(["wrap", "--", "python3", "job.py", "--db-password=plainargpw42"], { cwd: repo, env: { ...env, ...extra, SNAPTRAIL_RUN_ID: runId } });
    assert.equal(r.code, 0, r.stderr);
    wrapped[runId] = r.stderr;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-secrets-"));
    repo = join(dir, "repo");
    // A tracked private key, committed (it is in git's history: that is the user's business).
    commitRepo(repo, { "job.py": "print('ok')\n", id_rsa: KEY_COMMITTED });
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db") });
    client = new CollectorHttpClient(collector.httpUrl);
    env = {
      ...process.env,
      ...URL_ENV,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
      SNAPTRAIL_CACHE_DIR: join(dir, "cache"),
    };
    for (const name of ["SNAPTRAIL_REDACTION_SALT", "SNAPTRAIL_REDACTION_SALT_FILE", "SNAPTRAIL_REDACT_SALT", "SNAPTRAIL_SECRET_FILES"]) delete env[name];
    await wrap(runs.before);
    // Then the key is edited (a patch of tracked changes would carry it) and a .env appears, untracked and not ignored.
    writeFileSync(join(repo, "id_rsa"), KEY_EDITED);
    writeFileSync(join(repo, ".env"), DOTENV);
    await wrap(runs.a);
    await wrap(runs.b);
    await wrap(runs.salted, { SNAPTRAIL_REDACTION_SALT_FILE: `${collector.db}.redaction-salt` });
  });

  after(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it("names the .env and the key as left out, with no hash, and keeps them out of the archive and the patch", async () => {
    const run: RunDetail = await client.getRun(runs.a);
    assert.deepEqual(run.code?.leftOut, [
      { path: ".env", reason: "secret pattern" },
      { path: "id_rsa", reason: "secret pattern" },
    ]);
    assert.deepEqual(run.code?.files.map((f) => f.path), ["job.py"]);
    assert.equal(run.code?.git?.dirty, true);
    const archive = await client.getBlob(run.code?.archiveDigest ?? "");
    assert.deepEqual((await readTar(archive)).map((e) => e.name), ["job.py"], "the archive served by /api/v1/blobs holds neither");
    for (const s of SECRETS) assert.ok(!archive.includes(s), `${s} in the archive`);
    for (const s of SECRETS) assert.ok(!JSON.stringify(run).includes(s), `${s} in the stored run`);
  });

  void it("does not let the secret's content move the code digest", async () => {
    const [a, b] = await Promise.all([client.getRun(runs.a), client.getRun(runs.b)]);
    assert.equal(a.codeDigest, b.codeDigest);
    writeFileSync(join(repo, ".env"), "DB_PASSWORD=rotated\n");
    const capture = await runCli(["capture", "--json", "--", "python3", "job.py"], { cwd: repo, env });
    assert.equal(capture.code, 0, capture.stderr);
    assert.equal((JSON.parse(capture.stdout.toString()) as { digests: { code: string } }).digests.code, a.codeDigest);
    writeFileSync(join(repo, ".env"), DOTENV);
  });

  void it("warns once naming each file left out, and about the public default salt once per spool", () => {
    const leftOut = /snaptrail: warning: left out of the code snapshot \(secret pattern\), neither archived nor hashed: \.env, id_rsa /;
    assert.match(wrapped[runs.a] ?? "", leftOut);
    assert.match(wrapped[runs.before] ?? "", /neither archived nor hashed: id_rsa \(/);
    const defaultSalt = /public default salt/g;
    const said = Object.values(wrapped).reduce((n, stderr) => n + (stderr.match(defaultSalt)?.length ?? 0), 0);
    assert.equal(said, 1, Object.values(wrapped).join("\n---\n"));
    assert.match(wrapped[runs.before] ?? "", defaultSalt);
    assert.ok(existsSync(join(dir, "spool", ".default-salt-warned")));
  });

  void it("stores tokens inside allow-listed URLs, pairs and the command line redacted, the rest readable", async () => {
    const run = await client.getRun(runs.a);
    const value = (name: string) => run.environment?.env.find((v) => v.name === name)?.value;
    assert.match(value("PIP_INDEX_URL") ?? "", /^https:\/\/<redacted sha256:[0-9a-f]{12}>@pypi\.internal\.example\/simple$/);
    assert.match(value("UV_INDEX_URL") ?? "", /^https:\/\/pkgs\.example\/simple\?api_key=<redacted sha256:[0-9a-f]{12}>&channel=stable$/);
    assert.match(value("MLFLOW_TRACKING_URI") ?? "", /^https:\/\/mlflow\.example:5000\/\?token=<redacted sha256:[0-9a-f]{12}>$/);
    assert.match(value("SNAPTRAIL_FOO") ?? "", /^password=<redacted sha256:[0-9a-f]{12}>$/);
    assert.match(run.config?.argv.at(-1) ?? "", /^--db-password=<redacted sha256:[0-9a-f]{12}>$/);
  });

  void it("makes one private salt per installation beside the database, gives it to agents, and markers use it", async () => {
    const file = `${collector.db}.redaction-salt`;
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const salt = readFileSync(file, "utf8").trim();
    assert.match(salt, /^[0-9a-f]{64}$/);
    const printed = await runCli(["collector", "redaction-salt", "--db", collector.db]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout.toString().trim(), salt);
    const run = await client.getRun(runs.salted);
    const pip = run.environment?.env.find((v) => v.name === "PIP_INDEX_URL")?.value;
    assert.equal(pip, `https://${redactionMarker("plainpiptok42", salt)}@pypi.internal.example/simple`);
    assert.doesNotMatch(wrapped[runs.salted] ?? "", /default salt/);
    // Rotation in small: another salt, other markers, another environment digest.
    assert.notEqual(run.environmentDigest, (await client.getRun(runs.a)).environmentDigest);
  });

  void it("show and diff say 'left out' rather than absent", async () => {
    const http = ["--collector-http", collector.httpUrl];
    const show = await runCli(["show", runs.a, ...http]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout.toString(), /left out\s+\.env, id_rsa \(secret pattern: not recorded, not archived\)/);

    const json = await runCli(["diff", runs.before, runs.a, "--json", ...http]);
    assert.equal(json.code, 0, json.stderr);
    const d = JSON.parse(json.stdout.toString()) as RunDiff;
    assert.deepEqual(d.code?.leftOut, [
      { path: ".env", from: "absent", to: "left out", reason: "secret pattern" },
      { path: "id_rsa", from: "left out", to: "left out", reason: "secret pattern" },
    ]);
    assert.deepEqual([...(d.code?.added ?? []), ...(d.code?.removed ?? []), ...(d.code?.modified ?? [])], []);
    for (const s of SECRETS) assert.ok(!json.stdout.toString().includes(s), `${s} in the diff`);
    const text = await runCli(["diff", runs.before, runs.a, "--no-color", ...http]);
    assert.match(text.stdout.toString(), /S \.env\s+absent → left out \(secret pattern\)/);
    const same = await runCli(["diff", runs.a, runs.b, "--no-color", ...http]);
    assert.match(same.stdout.toString(), /S \.env\s+left out \(secret pattern\) in both runs: content not recorded, not compared/);
  });

  void it("restore reports them as not restored, and verification still passes", async () => {
    const into = join(dir, "restored");
    const r = await runCli(["restore", runs.a, "--into", into, "--env", "none", "--json", "--collector-http", collector.httpUrl]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout.toString()) as RestoreReport;
    assert.equal(report.code?.verified, 1);
    assert.deepEqual(report.code?.notRestored, [
      { path: ".env", reason: "secret pattern" },
      { path: "id_rsa", reason: "secret pattern" },
    ]);
    assert.equal(existsSync(join(into, ".env")), false);
    assert.equal(existsSync(join(into, "id_rsa")), false);
    const text = await runCli(["restore", runs.a, "--into", join(dir, "restored-2"), "--env", "none", "--no-color", "--collector-http", collector.httpUrl]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout.toString(), /not restored\s+\.env, id_rsa \(left out: secret pattern/);
  });
});
