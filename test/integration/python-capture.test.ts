import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { captureSnapshot } from "../../agent/capture/capture-snapshot.js";
import { capturePython } from "../../agent/python/capture-python.js";
import { DIGEST_PATTERN } from "../../core/digest.js";
import type { Package } from "../../core/model.js";
import { createVenv, pipInstall, pythonListDistributions, runOrFail } from "../helpers/python-env.js";

const GIT_ID = ["-c", "user.name=snaptrail-test", "-c", "user.email=test@snaptrail.invalid", "-c", "commit.gpgsign=false"];

function winners(packages: Package[]): Map<string, string> {
  return new Map(packages.filter((p) => !p.shadowed).map((p) => [p.name, p.version]));
}

// One venv for the whole file: a few small packages from the index, an egg-info distribution, an
// editable project and a VCS install.
void describe("python capture on a real venv", () => {
  let root: string;
  let venv: string;
  let python: string;
  let sitePackages: string;
  let editableDir: string;
  let vcsRepo: string;
  let vcsCommit: string;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-py-"));
    venv = path.join(root, "venv");
    python = await createVenv(venv, ["six==1.16.0", "pydantic==1.10.13", "packaging"]);
    const lib = readdirSync(path.join(venv, "lib")).find((d) => d.startsWith("python"));
    assert.ok(lib, "venv has no lib/pythonX.Y");
    sitePackages = path.join(venv, "lib", lib, "site-packages");

    // A legacy egg-info distribution.
    mkdirSync(path.join(sitePackages, "foo-1.0-py3.11.egg-info"));
    writeFileSync(path.join(sitePackages, "foo-1.0-py3.11.egg-info", "PKG-INFO"), "Metadata-Version: 1.1\nName: foo\nVersion: 1.0\nSummary: egg\n");

    // An editable install of a tiny local project.
    editableDir = path.join(root, "editable-proj");
    mkdirSync(path.join(editableDir, "snaptrail_editable_demo"), { recursive: true });
    writeFileSync(path.join(editableDir, "snaptrail_editable_demo", "__init__.py"), '"""demo"""\n');
    writeFileSync(
      path.join(editableDir, "pyproject.toml"),
      '[build-system]\nrequires = ["flit_core>=3.4,<5"]\nbuild-backend = "flit_core.buildapi"\n\n' +
        '[project]\nname = "snaptrail-editable-demo"\nversion = "0.1.0"\ndescription = "editable demo"\n',
    );
    await pipInstall(python, ["-e", editableDir]);

    // A VCS install from a local git repository, pinned to a commit.
    vcsRepo = path.join(root, "vcs-repo");
    mkdirSync(path.join(vcsRepo, "snaptrail_vcs_demo"), { recursive: true });
    writeFileSync(path.join(vcsRepo, "snaptrail_vcs_demo", "__init__.py"), '"""vcs demo"""\n');
    writeFileSync(
      path.join(vcsRepo, "pyproject.toml"),
      '[build-system]\nrequires = ["flit_core>=3.4,<5"]\nbuild-backend = "flit_core.buildapi"\n\n' +
        '[project]\nname = "Snaptrail_VCS.Demo"\nversion = "0.2.0"\ndescription = "vcs demo"\n\n' +
        '[tool.flit.module]\nname = "snaptrail_vcs_demo"\n',
    );
    await runOrFail("git", ["init", "-q", vcsRepo]);
    await runOrFail("git", ["-C", vcsRepo, "add", "."]);
    await runOrFail("git", ["-C", vcsRepo, ...GIT_ID, "commit", "-q", "-m", "demo"]);
    vcsCommit = (await runOrFail("git", ["-C", vcsRepo, "rev-parse", "HEAD"])).trim();
    await pipInstall(python, [`git+file://${vcsRepo}@${vcsCommit}`]);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  void it("captures the same distributions as importlib.metadata, name for name and version for version", async () => {
    const cap = await capturePython({ argv: [python, "train.py"], cwd: root, env: process.env });
    assert.deepEqual(cap.warnings, []);
    const reference = await pythonListDistributions(python);
    assert.deepEqual(new Map([...winners(cap.packages)].sort()), new Map([...reference].sort()));
    assert.equal(reference.get("six"), "1.16.0");
    assert.equal(reference.get("pydantic"), "1.10.13");
    assert.ok(reference.has("packaging"));
    // Sorted by name.
    const names = cap.packages.map((p) => p.name);
    assert.deepEqual(names, [...names].sort());
  });

  void it("records installer and index source for pip installs", async () => {
    const cap = await capturePython({ argv: [python], cwd: root, env: process.env });
    const six = cap.packages.find((p) => p.name === "six");
    assert.equal(six?.installer, "pip");
    assert.equal(six?.source?.kind, "index");
    assert.equal(six?.shadowed, false);
  });

  void it("records an egg-info distribution", async () => {
    const cap = await capturePython({ argv: [python], cwd: root, env: process.env });
    const foo = cap.packages.find((p) => p.name === "foo");
    assert.equal(foo?.version, "1.0");
  });

  void it("records an editable install as editable", async () => {
    const cap = await capturePython({ argv: [python], cwd: root, env: process.env });
    const pkg = cap.packages.find((p) => p.name === "snaptrail-editable-demo");
    assert.equal(pkg?.version, "0.1.0");
    assert.equal(pkg?.source?.kind, "editable");
    assert.equal(pkg?.source?.url, `file://${editableDir}`);
  });

  void it("records a VCS install with its commit, under its normalised name", async () => {
    const cap = await capturePython({ argv: [python], cwd: root, env: process.env });
    const pkg = cap.packages.find((p) => p.name === "snaptrail-vcs-demo");
    assert.equal(pkg?.version, "0.2.0");
    assert.equal(pkg?.source?.kind, "vcs");
    assert.equal(pkg?.source?.vcs, "git");
    assert.equal(pkg?.source?.commit, vcsCommit);
    assert.equal(pkg?.source?.url, `file://${vcsRepo}`);
  });

  void it("describes the interpreter as a venv", async () => {
    const cap = await capturePython({ argv: [python], cwd: root, env: process.env });
    const version = (await runOrFail(python, ["-c", "import platform; print(platform.python_version())"])).trim();
    assert.equal(cap.interpreter.implementation, "cpython");
    assert.equal(cap.interpreter.version, version);
    assert.equal(cap.interpreter.kind, "venv");
    assert.equal(cap.interpreter.prefix, venv);
    assert.notEqual(cap.interpreter.basePrefix, venv);
    assert.equal(path.dirname(cap.interpreter.executable), path.join(venv, "bin"));
    assert.match(cap.interpreter.platform, /^linux-/);
  });

  void it("marks a second copy further down sys.path as shadowed, as Python does", async () => {
    const extra = path.join(root, "extra-path");
    mkdirSync(path.join(extra, "six-1.0.0.dist-info"), { recursive: true });
    writeFileSync(path.join(extra, "six-1.0.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: six\nVersion: 1.0.0\n");
    const env = { ...process.env, PYTHONPATH: extra };
    const cap = await capturePython({ argv: [python], cwd: root, env });
    const sixes = cap.packages.filter((p) => p.name === "six");
    assert.deepEqual(
      sixes.map((p) => [p.version, p.shadowed]),
      [
        ["1.0.0", false],
        ["1.16.0", true],
      ],
    );
    const reference = await pythonListDistributions(python, env);
    assert.equal(reference.get("six"), "1.0.0");
    assert.deepEqual(new Map([...winners(cap.packages)].sort()), new Map([...reference].sort()));
  });

  void it("resolves a script's shebang to its venv's python, over PATH", async () => {
    const script = path.join(root, "job.py");
    writeFileSync(script, `#!${python}\nprint("hi")\n`);
    chmodSync(script, 0o755);
    const cap = await capturePython({ argv: [script, "--epochs", "1"], cwd: root, env: process.env });
    assert.equal(cap.interpreter.prefix, venv);
    assert.ok(cap.packages.some((p) => p.name === "pydantic"));

    // A console script found on PATH (pip, installed by the venv) leads to the same interpreter.
    const viaPath = await capturePython({ argv: ["pip", "--version"], cwd: root, env: { ...process.env, PATH: `${path.join(venv, "bin")}:${process.env.PATH ?? ""}` } });
    assert.equal(viaPath.interpreter.prefix, venv);
  });

  void it("turns a missing interpreter into a warning and an empty interpreter", async () => {
    const cap = await captureSnapshot({ argv: ["python3.99", "x.py"], cwd: root, env: process.env, maxArchiveBytes: 1024 });
    assert.deepEqual(cap.environment.packages, []);
    assert.equal(cap.environment.interpreter?.executable, "");
    assert.ok(cap.warnings.some((w) => w.source === "python" && /python3\.99.*not found/.test(w.message)), JSON.stringify(cap.warnings));
    const explicit = await capturePython({ argv: ["x"], cwd: root, env: process.env, python: path.join(root, "nope", "python") });
    assert.equal(explicit.warnings.length, 1);
    assert.match(explicit.warnings[0]?.message ?? "", /not found/);
  });

  void it("turns a broken interpreter into a warning", async () => {
    const fake = path.join(root, "fakebin", "python3");
    mkdirSync(path.dirname(fake), { recursive: true });
    writeFileSync(fake, "#!/bin/sh\necho 'broken interpreter' >&2\nexit 3\n");
    chmodSync(fake, 0o755);
    const cap = await capturePython({ argv: [fake], cwd: root, env: process.env });
    assert.deepEqual(cap.packages, []);
    assert.match(cap.warnings[0]?.message ?? "", /broken interpreter/);
  });

  void it("captures the whole snapshot of the venv with stable digests", async () => {
    const opts = { argv: [python, "train.py", "--token=abc"], cwd: root, env: process.env, maxArchiveBytes: 100 * 1024 * 1024 };
    await captureSnapshot(opts); // warm up the module graph and the file system cache
    const times: number[] = [];
    let digest = "";
    let count = 0;
    for (let i = 0; i < 3; i++) {
      const r = await captureSnapshot(opts);
      times.push(r.captureMs);
      assert.match(r.digests.environment, DIGEST_PATTERN);
      if (digest !== "") assert.equal(r.digests.environment, digest);
      digest = r.digests.environment;
      assert.equal(r.code, null); // root is not a git work tree
      assert.equal(r.digests.code, null);
      assert.ok(r.environment.packages.length >= 5);
      count = r.environment.packages.length;
    }
    // How fast, is measured by bench/capture-benchmark.ts, never asserted here.
    console.log(`captureSnapshot on a venv with ${count} packages: ${times.join(", ")} ms`);
  });
});
