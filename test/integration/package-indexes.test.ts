import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { captureSnapshot } from "../../agent/capture/capture-snapshot.js";
import { capturePython } from "../../agent/python/capture-python.js";
import { rebuildEnvironment } from "../../agent/restore/env/rebuild-environment.js";
import { snapshotDigest } from "../../core/digest.js";
import { SnaptrailError } from "../../core/errors.js";
import type { EnvironmentSnapshot } from "../../core/model.js";
import { buildWheel, startIndexServer, type IndexServer } from "../helpers/package-index.js";
import { createVenv, pipInstall, pythonListDistributions, runOrFail } from "../helpers/python-env.js";

const CREDENTIALS = "alice:s3cret";

async function rejectsWith(p: Promise<unknown>, code: string, text: RegExp[]): Promise<SnaptrailError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SnaptrailError, `expected a SnaptrailError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const t of text) assert.match(err.message, t);
    return err;
  }
  assert.fail(`expected ${code}`);
}

async function build(python: string, module: string): Promise<string> {
  return (await runOrFail(python, ["-c", `import ${module}; print(${module}.BUILD)`])).trim();
}

// Three places packages come from, all real and on loopback: a "default" index (plainpkg), a
// private "cu121" index behind Basic auth that alone has fakegpu==1.0+cu121, and a find-links
// folder (localwheel). The job installs from all three with credentials in its pip.conf; the
// restoring host's pip config lists only the default index and has the credentials in ~/.netrc.
void describe("package indexes: captured without credentials, restored from where they came from", () => {
  let root: string;
  let open: IndexServer;
  let locked: IndexServer;
  let defaultIndex: string;
  let cu121: string;
  let links: string;
  let spareBuild: string;
  let job: { python: string; env: NodeJS.ProcessEnv; conf: string; code: string; environment: EnvironmentSnapshot; digest: string };
  let hostEnv: NodeJS.ProcessEnv;
  let hostNoCredentials: NodeJS.ProcessEnv;
  let uvPath: string;

  const request = (environment: EnvironmentSnapshot, cacheDir: string, env: NodeJS.ProcessEnv, installer: "pip" | "uv" = "pip") => ({
    environment,
    environmentDigest: snapshotDigest("environment", environment),
    cacheDir,
    installer,
    env,
  });

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-indexes-"));
    const www = path.join(root, "www");
    await buildWheel(path.join(www, "default", "simple", "plainpkg"), "plainpkg", "2.0", "BUILD = 'plain'\n");
    await buildWheel(path.join(www, "cu121", "simple", "fakegpu"), "fakegpu", "1.0+cu121", "BUILD = 'cu121-index'\n");
    // The same name and version with other contents, kept aside until the mismatch test.
    spareBuild = await buildWheel(path.join(root, "spare"), "fakegpu", "1.0+cu121", "BUILD = 'other-index'\n");
    links = path.join(root, "links");
    await buildWheel(links, "localwheel", "0.1", "BUILD = 'links'\n");
    open = await startIndexServer(www);
    locked = await startIndexServer(www, CREDENTIALS);
    defaultIndex = `${open.url}/default/simple`;
    cu121 = `${locked.url}/cu121/simple`;

    // The job: a venv without pip, installed into by pip with the job's own pip.conf.
    const jobHome = path.join(root, "job-home");
    mkdirSync(jobHome);
    const conf = path.join(root, "job-pip.conf");
    writeFileSync(conf, `[global]\nindex-url = ${defaultIndex}\nextra-index-url =\n    http://${CREDENTIALS}@127.0.0.1:${locked.port}/cu121/simple\nfind-links = ${links}\nno-cache-dir = true\n`);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: jobHome, PIP_CONFIG_FILE: conf, PIP_DISABLE_PIP_VERSION_CHECK: "1" };
    await runOrFail("python3", ["-m", "venv", "--without-pip", path.join(root, "job")]);
    const python = path.join(root, "job", "bin", "python");
    await runOrFail("python3", ["-m", "pip", "--python", python, "install", "-q", "plainpkg==2.0", "fakegpu==1.0+cu121", "localwheel==0.1"], { env });
    const code = path.join(root, "code");
    mkdirSync(code);
    const snap = await captureSnapshot({ argv: [python, "train.py"], cwd: code, env, maxArchiveBytes: 0, cacheDir: "" });
    job = { python, env, conf, code, environment: snap.environment, digest: snap.digests.environment };

    const hostHome = path.join(root, "host-home");
    mkdirSync(hostHome);
    writeFileSync(path.join(hostHome, "host-pip.conf"), `[global]\nindex-url = ${defaultIndex}\n`);
    writeFileSync(path.join(hostHome, ".netrc"), `machine 127.0.0.1 login alice password s3cret\n`, { mode: 0o600 });
    const bare = path.join(root, "bare-home");
    mkdirSync(bare);
    hostEnv = { PATH: process.env.PATH, HOME: hostHome, PIP_CONFIG_FILE: path.join(hostHome, "host-pip.conf"), PIP_NO_CACHE_DIR: "1", UV_CACHE_DIR: path.join(root, "uv-cache"), UV_NO_CACHE: "1" };
    hostNoCredentials = { ...hostEnv, HOME: bare };

    // uv from the machine's package index, in a tool venv of its own.
    const tool = path.join(root, "uv-tool");
    await createVenv(tool, []);
    await pipInstall(path.join(tool, "bin", "python"), ["uv"]);
    uvPath = path.join(tool, "bin");
  });

  after(async () => {
    await open?.stop();
    await locked?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  void it("capture records the index, the private extra index and find-links, without the credentials, and each wheel's build", () => {
    assert.deepEqual(job.environment.indexes?.pip, { indexUrl: defaultIndex, extraIndexUrls: [cu121], findLinks: [links], noIndex: false, readFrom: [job.conf] });
    const stored = JSON.stringify(job.environment);
    assert.doesNotMatch(stored, /s3cret/);
    assert.doesNotMatch(stored, /alice/);
    const fakegpu = job.environment.packages.find((p) => p.name === "fakegpu");
    assert.equal(fakegpu?.version, "1.0+cu121");
    assert.equal(fakegpu?.installer, "pip");
    assert.match(fakegpu?.source?.recordDigest ?? "", /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual([...new Set(job.environment.packages.map((p) => p.source?.kind))], ["index"]);
  });

  void it("a host configured for the default index only: pip rebuilds from the recorded indexes, and the builds verify", async () => {
    const r = await rebuildEnvironment(request(job.environment, path.join(root, "cache-pip"), hostEnv));
    assert.equal(r.comparison.matches, true, JSON.stringify(r.comparison));
    assert.equal(await build(r.python, "fakegpu"), "cu121-index");
    assert.equal(await build(r.python, "localwheel"), "links");
    assert.deepEqual([...(await pythonListDistributions(r.python, hostEnv)).keys()].sort(), ["fakegpu", "localwheel", "plainpkg"]);
    // The same snapshot without its index settings (as an older agent stored it) cannot be
    // rebuilt on this host: the indexes above are what made the difference.
    const older = { ...job.environment, indexes: null };
    await rejectsWith(rebuildEnvironment(request(older, path.join(root, "cache-older"), hostEnv)), "UNAVAILABLE", [/fakegpu/]);
  });

  void it("the same with uv: the recorded pip settings, and uv's install of the same wheels has the same builds", async () => {
    const env = { ...hostEnv, PATH: `${uvPath}:${hostEnv.PATH ?? ""}` };
    const r = await rebuildEnvironment(request(job.environment, path.join(root, "cache-uv"), env, "uv"));
    assert.equal(r.installer, "uv");
    assert.equal(r.comparison.matches, true, JSON.stringify(r.comparison));
    assert.equal(await build(r.python, "fakegpu"), "cu121-index");
    const installed = await capturePython({ argv: [r.python], python: r.python, cwd: root, env });
    assert.equal(installed.packages.find((p) => p.name === "fakegpu")?.installer, "uv");
  });

  void it("an index that answers 401 to this host stops the restore before building, naming it, the package and the setting", async () => {
    const cacheDir = path.join(root, "cache-401");
    const err = await rejectsWith(rebuildEnvironment(request(job.environment, cacheDir, hostNoCredentials)), "UNAUTHENTICATED", [
      new RegExp(`extra index ${cu121.replace(/[.]/g, "\\.")} \\(answered 401\\)`),
      /fakegpu 1\.0\+cu121/,
      /PIP_EXTRA_INDEX_URL/,
      /USER:PASSWORD@127\.0\.0\.1/,
      /netrc/,
    ]);
    assert.doesNotMatch(err.message, /plainpkg/, "plainpkg is on the default index, which answers");
    assert.equal(existsSync(path.join(cacheDir, "venvs")), false, "nothing was built");
    // The host's own PIP_EXTRA_INDEX_URL with credentials supplies them just as well.
    const withEnv = { ...hostNoCredentials, PIP_EXTRA_INDEX_URL: `http://${CREDENTIALS}@127.0.0.1:${locked.port}/cu121/simple` };
    const r = await rebuildEnvironment(request(job.environment, path.join(root, "cache-env-credentials"), withEnv));
    assert.equal(r.comparison.matches, true, JSON.stringify(r.comparison));
    // An index nobody answers at is UNAVAILABLE, before building too.
    const gone = { ...job.environment, indexes: { pip: { ...job.environment.indexes!.pip!, extraIndexUrls: ["http://127.0.0.1:9/gone/simple"] }, uv: job.environment.indexes!.uv } };
    await rejectsWith(rebuildEnvironment(request(gone, path.join(root, "cache-gone"), hostEnv)), "UNAVAILABLE", [/extra index http:\/\/127\.0\.0\.1:9\/gone\/simple/, /cannot be reached/, /fakegpu 1\.0\+cu121/]);
  });

  void it("the same name and version of another build is a MISMATCH naming the package and both origins", async () => {
    // The private index now serves other contents under the same file name (a re-upload), as a
    // host's own index would under today's name==version restore.
    const served = path.join(root, "www", "cu121", "simple", "fakegpu", path.basename(spareBuild));
    const original = `${served}.orig`;
    cpSync(served, original);
    cpSync(spareBuild, served);
    try {
      const esc = (s: string): string => s.replace(/[.+]/g, "\\$&");
      const err = await rejectsWith(rebuildEnvironment(request(job.environment, path.join(root, "cache-mismatch"), hostEnv)), "MISMATCH", [
        /fakegpu 1\.0\+cu121 is another build than the recorded one/,
        new RegExp(`recorded from ${esc(defaultIndex)}, ${esc(cu121)}, ${esc(links)} \\(index build sha256=[0-9a-f]{12}\\)`),
        new RegExp(`installed index build sha256=[0-9a-f]{12} from one of ${esc(cu121)} `),
      ]);
      assert.doesNotMatch(err.message, /plainpkg|localwheel/, "only the package of another build is named");
    } finally {
      cpSync(original, served);
      rmSync(original);
    }
  });

  void it("a job installed by uv from its project's uv.toml: uv's settings are recorded and a pip restore uses them", async () => {
    const code = path.join(root, "uv-code");
    mkdirSync(code);
    writeFileSync(
      path.join(code, "uv.toml"),
      `[[index]]\nname = "cu121"\nurl = "http://${CREDENTIALS}@127.0.0.1:${locked.port}/cu121/simple"\n\n[[index]]\nname = "default"\nurl = "${defaultIndex}"\ndefault = true\n`,
    );
    const env: NodeJS.ProcessEnv = { PATH: `${uvPath}:${process.env.PATH ?? ""}`, HOME: path.join(root, "job-home"), UV_CACHE_DIR: path.join(root, "uv-job-cache") };
    await runOrFail("python3", ["-m", "venv", "--without-pip", path.join(root, "uv-job")]);
    const python = path.join(root, "uv-job", "bin", "python");
    await runOrFail(path.join(uvPath, "uv"), ["pip", "install", "--python", python, "plainpkg==2.0", "fakegpu==1.0+cu121"], { env, cwd: code });
    const snap = await captureSnapshot({ argv: [python, "train.py"], cwd: code, env, maxArchiveBytes: 0, cacheDir: "" });
    assert.deepEqual(snap.environment.indexes?.uv, { indexUrl: defaultIndex, extraIndexUrls: [cu121], findLinks: [], noIndex: false, readFrom: [path.join(code, "uv.toml")] });
    assert.doesNotMatch(JSON.stringify(snap.environment), /s3cret/);
    // uv's install and pip's install of the same wheel have the same build digest.
    const pipBuild = job.environment.packages.find((p) => p.name === "fakegpu")?.source?.recordDigest;
    assert.equal(snap.environment.packages.find((p) => p.name === "fakegpu")?.source?.recordDigest, pipBuild);
    const r = await rebuildEnvironment(request(snap.environment, path.join(root, "cache-uv-recorded"), hostEnv));
    assert.equal(r.comparison.matches, true, JSON.stringify(r.comparison));
    assert.equal(await build(r.python, "fakegpu"), "cu121-index");
  });

  void it("the fingerprint cache holds only while the index configuration is unchanged", async () => {
    const cacheDir = path.join(root, "fingerprints");
    const first = await capturePython({ argv: [job.python], python: job.python, cwd: job.code, env: job.env, cacheDir });
    assert.equal(first.cache, "miss");
    await new Promise((r) => setTimeout(r, 200)); // past the racy window
    await capturePython({ argv: [job.python], python: job.python, cwd: job.code, env: job.env, cacheDir });
    assert.equal((await capturePython({ argv: [job.python], python: job.python, cwd: job.code, env: job.env, cacheDir })).cache, "hit");
    // Another find-links folder in the same file: read again.
    writeFileSync(job.conf, `[global]\nindex-url = ${defaultIndex}\nfind-links = ${links} /elsewhere\n`);
    const changed = await capturePython({ argv: [job.python], python: job.python, cwd: job.code, env: job.env, cacheDir });
    assert.equal(changed.cache, "miss");
    assert.deepEqual(changed.indexes?.pip?.findLinks, [links, "/elsewhere"]);
    // A variable changes it too.
    const byEnv = await capturePython({ argv: [job.python], python: job.python, cwd: job.code, env: { ...job.env, PIP_NO_INDEX: "1" }, cacheDir });
    assert.equal(byEnv.cache, "miss");
    assert.equal(byEnv.indexes?.pip?.noIndex, true);
  });
});
