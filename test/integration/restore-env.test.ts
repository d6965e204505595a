import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { captureSnapshot } from "../../agent/capture/capture-snapshot.js";
import { capturePython } from "../../agent/python/capture-python.js";
import { rebuildEnvironment, type RestoreEnvProgress } from "../../agent/restore/env/rebuild-environment.js";
import { verifyEnvironment } from "../../agent/restore/env/verify-environment.js";
import { SnaptrailError } from "../../core/errors.js";
import type { EnvironmentSnapshot, Package } from "../../core/model.js";
import { createVenv, pipInstall, pythonListDistributions, runOrFail } from "../helpers/python-env.js";

const GIT_ID = ["-c", "user.name=snaptrail-test", "-c", "user.email=test@snaptrail.invalid", "-c", "commit.gpgsign=false"];
const FLIT = '[build-system]\nrequires = ["flit_core>=3.4,<5"]\nbuild-backend = "flit_core.buildapi"\n\n';
const REBUILD_MODULE = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../agent/restore/env/rebuild-environment.js")).href;

interface Recorded {
  environment: EnvironmentSnapshot;
  digest: string;
}

function winners(packages: readonly Package[]): Map<string, string> {
  return new Map(packages.filter((p) => !p.shadowed).map((p) => [p.name, p.version]));
}

function sorted(m: Map<string, string>): [string, string][] {
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

async function pydanticVersion(python: string): Promise<string> {
  return (await runOrFail(python, ["-c", "import pydantic; print(pydantic.VERSION)"])).trim();
}

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

// One job venv for the file: pydantic 1.10.x, an editable project inside the code root and a VCS
// install at a commit; captured, then upgraded to pydantic 2.x and captured again. Every rebuild
// starts from the first snapshot.
void describe("restore: rebuild and verify a recorded environment", () => {
  let root: string;
  let codeRoot: string;
  let restoredCode: string;
  let jobPython: string;
  let good: Recorded;
  let upgraded: Recorded;
  // One pip cache (downloads where the index allows caching, wheels pip built) for every rebuild
  // here: the tests are about what ends up in the venv, not about downloading.
  let env: NodeJS.ProcessEnv;
  // uv from the index in a tool venv of its own, on PATH only where a test says so. The cache and
  // lock tests use it because it is fast; the pip path has its own test.
  let uvEnv: NodeJS.ProcessEnv;

  const request = (cacheDir: string, extra: Partial<Parameters<typeof rebuildEnvironment>[0]> = {}): Parameters<typeof rebuildEnvironment>[0] => ({
    environment: good.environment,
    environmentDigest: good.digest,
    cacheDir,
    codeDir: restoredCode,
    recordedCodeRoot: codeRoot,
    installer: "pip",
    env,
    ...extra,
  });

  async function record(): Promise<Recorded> {
    const snap = await captureSnapshot({ argv: [jobPython, "train.py"], cwd: codeRoot, env, maxArchiveBytes: 0, cacheDir: "" });
    return { environment: snap.environment, digest: snap.digests.environment };
  }

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-restore-env-"));
    env = { ...process.env, PIP_CACHE_DIR: path.join(os.tmpdir(), "snaptrail-test-pip-cache") };
    codeRoot = path.join(root, "code");
    mkdirSync(path.join(codeRoot, "libs", "helper", "snaptrail_restore_helper"), { recursive: true });
    writeFileSync(path.join(codeRoot, "train.py"), "import pydantic\nprint(pydantic.VERSION)\n");
    writeFileSync(path.join(codeRoot, "libs", "helper", "snaptrail_restore_helper", "__init__.py"), '"""helper"""\n');
    writeFileSync(path.join(codeRoot, "libs", "helper", "pyproject.toml"), `${FLIT}[project]\nname = "snaptrail-restore-helper"\nversion = "0.3.0"\ndescription = "helper"\n`);

    const vcsRepo = path.join(root, "vcs-repo");
    mkdirSync(path.join(vcsRepo, "snaptrail_restore_vcs"), { recursive: true });
    writeFileSync(path.join(vcsRepo, "snaptrail_restore_vcs", "__init__.py"), '"""vcs"""\n');
    writeFileSync(path.join(vcsRepo, "pyproject.toml"), `${FLIT}[project]\nname = "snaptrail-restore-vcs"\nversion = "0.4.0"\ndescription = "vcs"\n`);
    await runOrFail("git", ["init", "-q", vcsRepo]);
    await runOrFail("git", ["-C", vcsRepo, "add", "."]);
    await runOrFail("git", ["-C", vcsRepo, ...GIT_ID, "commit", "-q", "-m", "v0.4.0"]);
    const commit = (await runOrFail("git", ["-C", vcsRepo, "rev-parse", "HEAD"])).trim();

    jobPython = await createVenv(path.join(root, "job-venv"), []);
    await pipInstall(jobPython, ["pydantic==1.10.13", "-e", path.join(codeRoot, "libs", "helper"), `git+file://${vcsRepo}@${commit}`], env);
    good = await record();
    // The code as a restore would bring it back, somewhere else.
    restoredCode = path.join(root, "restored-code");
    cpSync(codeRoot, restoredCode, { recursive: true });

    await pipInstall(jobPython, ["pydantic==2.7.1"], env);
    upgraded = await record();

    const tool = path.join(root, "uv-tool");
    await createVenv(tool, []);
    await pipInstall(path.join(tool, "bin", "python"), ["uv"], env);
    uvEnv = { ...env, PATH: `${path.join(tool, "bin")}:${env.PATH ?? ""}`, UV_CACHE_DIR: path.join(root, "uv-cache") };
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  void it("records what the story needs: pydantic 1.10.13, then 2.7.1", () => {
    assert.equal(winners(good.environment.packages).get("pydantic"), "1.10.13");
    assert.equal(winners(upgraded.environment.packages).get("pydantic"), "2.7.1");
    const kinds = new Map(good.environment.packages.map((p) => [p.name, p.source?.kind]));
    assert.equal(kinds.get("snaptrail-restore-helper"), "editable");
    assert.equal(kinds.get("snaptrail-restore-vcs"), "vcs");
    assert.notEqual(good.digest, upgraded.digest);
  });

  void it("verify on the upgraded venv fails and names pydantic 1.10.13 -> 2.7.1", async () => {
    const c = await verifyEnvironment({ environment: good.environment, python: jobPython, env, cwd: codeRoot });
    assert.equal(c.matches, false);
    assert.notEqual(c.recordedDigest, c.actualDigest);
    const pydantic = c.packages.changed.find((p) => p.name === "pydantic");
    assert.deepEqual(
      { from: pydantic?.from, to: pydantic?.to, direction: pydantic?.direction, major: pydantic?.major },
      { from: "1.10.13", to: "2.7.1", direction: "upgrade", major: true },
    );
    // pydantic 2 brought its own dependencies.
    assert.ok(c.packages.added.some((p) => p.name === "pydantic-core"), JSON.stringify(c.packages.added));
    assert.deepEqual(c.interpreter, []);
    // The same check against the snapshot of the upgraded venv matches.
    const same = await verifyEnvironment({ environment: upgraded.environment, python: jobPython, env, cwd: codeRoot });
    assert.equal(same.matches, true, JSON.stringify(same));
    // No interpreter to compare is an error, not a mismatch.
    await rejectsWith(verifyEnvironment({ environment: good.environment, python: path.join(root, "no-such-python"), env, cwd: codeRoot }), "PYTHON_NOT_FOUND", [/no-such-python/]);
  });

  void it("verify with another interpreter version names the interpreter difference", async () => {
    const other = (await runOrFail("python3", ["-c", "import platform; print(platform.python_version())"])).trim() === "3.11.2" ? "python3" : "/usr/bin/python3";
    const version = (await runOrFail(other, ["-c", "import platform; print(platform.python_version())"])).trim();
    const c = await verifyEnvironment({ environment: good.environment, python: other, env, cwd: codeRoot });
    assert.equal(c.matches, false);
    if (version !== good.environment.interpreter?.version) {
      assert.deepEqual(c.interpreter, [{ field: "interpreter.version", from: good.environment.interpreter?.version, to: version }]);
    }
    assert.ok(c.packages.removed.some((p) => p.name === "pydantic"), JSON.stringify(c.packages.removed));
  });

  void it("rebuilds the first snapshot with pip: pydantic 1.10.13 back, the exact set, equal package-set digests; then a cache hit", async () => {
    const cacheDir = path.join(root, "cache-pip");
    const phases = new Set<string>();
    const r = await rebuildEnvironment(request(cacheDir, { onProgress: (p: RestoreEnvProgress) => phases.add(p.phase) }));
    assert.equal(r.cached, false);
    assert.equal(r.installer, "pip");
    assert.equal(r.venvDir, path.join(cacheDir, "venvs", good.digest.slice("sha256:".length)));
    assert.equal(r.comparison.matches, true, JSON.stringify(r.comparison));
    assert.equal(r.comparison.recordedDigest, r.comparison.actualDigest);
    assert.deepEqual([...phases].sort(), ["install", "interpreter", "venv", "verify"]);

    assert.equal(await pydanticVersion(r.python), "1.10.13");
    // Exactly the recorded distributions, by Python's own listing: nothing missing, nothing extra.
    assert.deepEqual(sorted(await pythonListDistributions(r.python, env)), sorted(winners(good.environment.packages)));
    // The editable package comes from the restored code, not from where it was recorded.
    const helper = (await capturePython({ argv: [r.python], python: r.python, cwd: root, env })).packages.find((p) => p.name === "snaptrail-restore-helper");
    assert.equal(helper?.source?.url, pathToFileURL(path.join(restoredCode, "libs", "helper")).href);
    // The job's interpreter version, exactly.
    const version = (await runOrFail(r.python, ["-c", "import platform; print(platform.python_version())"])).trim();
    assert.equal(version, good.environment.interpreter?.version);

    const verified = await verifyEnvironment({ environment: good.environment, python: r.python, env, cwd: root });
    assert.equal(verified.matches, true, JSON.stringify(verified));

    const again = await rebuildEnvironment(request(cacheDir));
    assert.equal(again.cached, true);
    assert.equal(again.venvDir, r.venvDir);
    assert.equal(again.comparison.matches, true);
  });

  void it("with pip, what the venv comes with (pip, setuptools) but the snapshot lacks is removed", async () => {
    // A snapshot of an environment made without pip, as uv makes them.
    const environment: EnvironmentSnapshot = { ...good.environment, packages: good.environment.packages.filter((p) => ["pydantic", "typing-extensions"].includes(p.name)) };
    const { snapshotDigest } = await import("../../core/digest.js");
    const r = await rebuildEnvironment(request(path.join(root, "cache-no-pip"), { environment, environmentDigest: snapshotDigest("environment", environment) }));
    assert.equal(r.installer, "pip");
    assert.equal(r.comparison.matches, true, JSON.stringify(r.comparison));
    assert.deepEqual([...(await pythonListDistributions(r.python, env)).keys()].sort(), ["pydantic", "typing-extensions"]);
  });

  void it("a cached venv that was changed after it was built is rebuilt, not trusted", async () => {
    const cacheDir = path.join(root, "cache-tamper");
    const first = await rebuildEnvironment(request(cacheDir, { installer: "uv", env: uvEnv }));
    await pipInstall(first.python, ["--no-deps", "six==1.16.0"], env);
    const r = await rebuildEnvironment(request(cacheDir, { installer: "uv", env: uvEnv }));
    assert.equal(r.cached, false);
    assert.equal(r.comparison.matches, true);
    assert.equal((await pythonListDistributions(r.python, env)).has("six"), false);
  });

  void it("a build killed half way (stale lock, no completion marker) is removed and rebuilt", async () => {
    const cacheDir = path.join(root, "cache-killed");
    const requestFile = path.join(root, "killed-request.json");
    writeFileSync(requestFile, JSON.stringify(request(cacheDir, { installer: "uv", env: uvEnv })));
    const script = [
      `import { rebuildEnvironment } from ${JSON.stringify(REBUILD_MODULE)};`,
      `import { readFileSync } from "node:fs";`,
      `const req = JSON.parse(readFileSync(${JSON.stringify(requestFile)}, "utf8"));`,
      // Stops dead once the venv is made and the install is about to start, so the kill lands
      // in the middle of the build every time; a pipe write on Linux is synchronous.
      `const stop = (p) => { if (p.phase === "install") { process.stdout.write("INSTALLING\\n"); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000); } };`,
      `await rebuildEnvironment({ ...req, onProgress: stop });`,
      `console.log("FINISHED");`,
    ].join("\n");
    // Its own process group, so that the kill takes pip down with it, as a killed job would.
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
    const outcome = await new Promise<string>((resolve) => {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("INSTALLING")) {
          process.kill(-(child.pid ?? 0), "SIGKILL");
          resolve("killed");
        }
      });
      child.on("exit", () => resolve(out.includes("FINISHED") ? "finished" : "exited"));
    });
    assert.equal(outcome, "killed");
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.on("exit", r)));

    const venvDir = path.join(cacheDir, "venvs", good.digest.slice("sha256:".length));
    const lock = JSON.parse(readFileSync(`${venvDir}.lock`, "utf8")) as { pid: number };
    assert.equal(lock.pid, child.pid);
    assert.equal(existsSync(path.join(venvDir, "pyvenv.cfg")), true, "the killed build left its venv");
    assert.equal(existsSync(path.join(venvDir, ".snaptrail-complete")), false);

    const r = await rebuildEnvironment(request(cacheDir, { installer: "uv", env: uvEnv }));
    assert.equal(r.cached, false);
    assert.equal(r.comparison.matches, true, JSON.stringify(r.comparison));
    assert.equal(await pydanticVersion(r.python), "1.10.13");
    assert.equal(existsSync(`${venvDir}.lock`), false);
    assert.equal((await rebuildEnvironment(request(cacheDir, { installer: "uv", env: uvEnv }))).cached, true);
  });

  void it("with uv on PATH: auto picks uv, two restores at once build once, and the set matches", async () => {
    const cacheDir = path.join(root, "cache-uv");
    const both = await Promise.all([
      rebuildEnvironment(request(cacheDir, { installer: "auto", env: uvEnv })),
      rebuildEnvironment(request(cacheDir, { installer: "auto", env: uvEnv })),
    ]);
    assert.deepEqual(both.map((r) => r.cached).sort(), [false, true]);
    for (const r of both) {
      assert.equal(r.installer, "uv");
      assert.equal(r.comparison.matches, true, JSON.stringify(r.comparison));
    }
    const [r] = both;
    assert.equal(await pydanticVersion(r.python), "1.10.13");
    assert.deepEqual(sorted(await pythonListDistributions(r.python, env)), sorted(winners(good.environment.packages)));
    // uv really installed them (it writes itself into INSTALLER), and the package-set digest
    // does not care which installer did.
    const cap = await capturePython({ argv: [r.python], python: r.python, cwd: root, env });
    assert.equal(cap.packages.find((p) => p.name === "pydantic")?.installer, "uv");
    assert.equal(good.environment.packages.find((p) => p.name === "pydantic")?.installer, "pip");
  });

  void it("installer uv without uv on PATH is a clear configuration error", async () => {
    const noUv = { ...env, PATH: "/usr/bin:/bin" };
    await rejectsWith(rebuildEnvironment(request(path.join(root, "cache-no-uv"), { installer: "uv", env: noUv })), "BAD_CONFIG", [/no uv on PATH/]);
  });

  void it("a missing interpreter version is PYTHON_NOT_FOUND naming it and listing what was found", async () => {
    const environment: EnvironmentSnapshot = { ...good.environment, interpreter: { ...good.environment.interpreter!, version: "3.11.99" } };
    const { snapshotDigest } = await import("../../core/digest.js");
    const req = request(path.join(root, "cache-missing"), { environment, environmentDigest: snapshotDigest("environment", environment) });
    const found = (await runOrFail("python3", ["-c", "import platform; print(platform.python_version())"])).trim();
    await rejectsWith(rebuildEnvironment(req), "PYTHON_NOT_FOUND", [/cpython 3\.11\.99/, new RegExp(`cpython ${found.replace(/\./g, "\\.")}`)]);
    // A --python of another version is named, with its version.
    await rejectsWith(rebuildEnvironment({ ...req, python: jobPython }), "PYTHON_NOT_FOUND", [/3\.11\.99/, new RegExp(`is cpython ${found.replace(/\./g, "\\.")}`)]);
  });

  void it("a local package with no restored code is named with why, before anything is built", async () => {
    const cacheDir = path.join(root, "cache-no-code");
    await rejectsWith(rebuildEnvironment(request(cacheDir, { codeDir: undefined })), "NOT_FOUND", [/snaptrail-restore-helper 0\.3\.0/, /no restored code folder/]);
    await rejectsWith(rebuildEnvironment(request(cacheDir, { recordedCodeRoot: path.join(root, "elsewhere") })), "NOT_FOUND", [/outside the code root/]);
    assert.equal(existsSync(path.join(cacheDir, "venvs")), false);
  });

  void it("allowMismatch: a package that cannot be restored is left out and reported, not fatal", async () => {
    const r = await rebuildEnvironment(request(path.join(root, "cache-allow"), { codeDir: undefined, allowMismatch: true, installer: "uv", env: uvEnv }));
    assert.equal(r.comparison.matches, false);
    assert.deepEqual(r.comparison.packages.removed, [{ name: "snaptrail-restore-helper", version: "0.3.0" }]);
    assert.deepEqual(r.comparison.packages.changed, []);
    assert.equal(await pydanticVersion(r.python), "1.10.13");
    // Without allowMismatch the venv cached under that digest is a MISMATCH naming the difference.
    await rejectsWith(rebuildEnvironment(request(path.join(root, "cache-allow"), { installer: "uv", env: uvEnv })), "MISMATCH", [/snaptrail-restore-helper 0\.3\.0 missing/]);
  });

  void it("a digest that is not the snapshot's is refused", async () => {
    await rejectsWith(rebuildEnvironment(request(path.join(root, "cache-bad"), { environmentDigest: upgraded.digest })), "DIGEST_MISMATCH", [/not sha256:/]);
    await rejectsWith(rebuildEnvironment(request(path.join(root, "cache-bad"), { environmentDigest: "latest" })), "BAD_INPUT", [/"latest"/]);
  });
});
