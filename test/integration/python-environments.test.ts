import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { captureSnapshot } from "../../agent/capture/capture-snapshot.js";
import { capturePython } from "../../agent/python/capture-python.js";
import type { Package } from "../../core/model.js";
import { createCondaLikePrefix, writeCondaDistInfo, writeCondaRecord } from "../helpers/conda-env.js";
import { createVenv, pipInstall, pythonListDistributions, runOrFail } from "../helpers/python-env.js";

function winners(packages: Package[]): Map<string, string> {
  return new Map(packages.filter((p) => !p.shadowed).map((p) => [p.name, p.version]));
}

function sorted(m: Map<string, string>): Map<string, string> {
  return new Map([...m].sort());
}

// Debian's own interpreter, with its dist-packages folders. CI installs python3 with apt.
const DEBIAN_PYTHON = "/usr/bin/python3";

void describe("python environments: the capture equals importlib.metadata on each kind", () => {
  let root: string;
  let venvPython: string;
  let cacheDir: string;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-envs-"));
    cacheDir = path.join(root, "cache");
    venvPython = await createVenv(path.join(root, "venv"), ["six==1.16.0"]);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  void it("Debian's system Python: dist-packages, kind system", async () => {
    assert.ok(existsSync(DEBIAN_PYTHON), `${DEBIAN_PYTHON} is missing: install Debian's python3 (apt-get install python3)`);
    const env = { ...process.env, PYTHONUSERBASE: path.join(root, "no-user-base") };
    const cap = await capturePython({ argv: [DEBIAN_PYTHON, "job.py"], cwd: root, env });
    assert.equal(cap.interpreter.kind, "system");
    assert.equal(cap.interpreter.prefix, "/usr");
    const reference = await pythonListDistributions(DEBIAN_PYTHON, env);
    assert.deepEqual(sorted(winners(cap.packages)), sorted(reference));
    const probe = JSON.parse(await runOrFail(DEBIAN_PYTHON, ["-c", "import json, sys; print(json.dumps(sys.path))"], { env })) as string[];
    assert.ok(probe.some((p) => p.endsWith("dist-packages")), "Debian's python has dist-packages on sys.path");
  });

  void it("user site-packages, winning over the system's copy and caught by the cache when it appears", async () => {
    const userBase = path.join(root, "user-base");
    const env = { ...process.env, PYTHONUSERBASE: userBase };
    const version = (await runOrFail(DEBIAN_PYTHON, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])).trim();
    const before = await capturePython({ argv: [DEBIAN_PYTHON], cwd: root, env, cacheDir });
    assert.equal(before.cache, "miss");
    await sleep(150);
    assert.equal((await capturePython({ argv: [DEBIAN_PYTHON], cwd: root, env, cacheDir })).cache, "hit");
    // The user site folder does not exist yet; installing into it must invalidate the entry.
    const userSite = path.join(userBase, "lib", `python${version}`, "site-packages");
    await runOrFail(path.join(path.dirname(venvPython), "pip"), ["install", "-q", "--disable-pip-version-check", "--target", userSite, "six==1.16.0"]);
    const cap = await capturePython({ argv: [DEBIAN_PYTHON], cwd: root, env, cacheDir });
    assert.equal(cap.cache, "miss");
    const six = cap.packages.find((p) => p.name === "six" && !p.shadowed);
    assert.equal(six?.version, "1.16.0");
    assert.equal(six?.installer, "pip");
    const reference = await pythonListDistributions(DEBIAN_PYTHON, env);
    assert.equal(reference.get("six"), "1.16.0");
    assert.deepEqual(sorted(winners(cap.packages)), sorted(reference));
  });

  void it("a conda environment: conda packages with channel and build, Python ones from conda and from pip", async () => {
    const prefix = path.join(root, "conda-env");
    const { python, sitePackages } = await createCondaLikePrefix(prefix);
    const relSite = path.relative(prefix, sitePackages);
    const channel = "https://conda.example.invalid/conda-forge";
    // Python distributions that conda installed.
    writeCondaDistInfo(sitePackages, "numpy", "1.26.4");
    writeCondaRecord(prefix, {
      name: "numpy",
      version: "1.26.4",
      build: "py311h64a7726_0",
      channel,
      files: ["bin/f2py", `${relSite}/numpy/__init__.py`, `${relSite}/numpy-1.26.4.dist-info/METADATA`, `${relSite}/numpy-1.26.4.dist-info/INSTALLER`],
    });
    writeCondaDistInfo(sitePackages, "typing-extensions", "4.11.0");
    writeCondaRecord(prefix, {
      name: "typing_extensions",
      version: "4.11.0",
      build: "pyha770c72_0",
      channel,
      files: [`${relSite}/typing_extensions.py`, `${relSite}/typing_extensions-4.11.0.dist-info/METADATA`],
    });
    // Packages that are not Python distributions.
    writeCondaRecord(prefix, { name: "python", version: "3.11.9", build: "hb806964_0_cpython", channel, files: ["bin/python3.11"] });
    writeCondaRecord(prefix, { name: "mkl", version: "2023.2.0", build: "h84fe81f_50496", channel, files: ["lib/libmkl_core.so.2"] });
    writeCondaRecord(prefix, { name: "cudatoolkit", version: "11.8.0", build: "h4ba93d1_13", channel: "https://user:s3cret@conda.example.invalid/t/tk-123/nvidia", files: ["lib/libcudart.so.11.0"] });
    writeCondaRecord(prefix, { name: "_libgcc_mutex", version: "0.1", build: "conda_forge", channel, files: [] });
    // A pip install inside the conda environment.
    await runOrFail(path.join(path.dirname(venvPython), "pip"), ["install", "-q", "--disable-pip-version-check", "--no-deps", "--target", sitePackages, "six==1.16.0"]);

    const env = { ...process.env, CONDA_PREFIX: prefix, PYTHONNOUSERSITE: "1" };
    const cap = await capturePython({ argv: [python, "train.py"], cwd: root, env });
    assert.deepEqual(cap.warnings, []);
    assert.equal(cap.interpreter.kind, "conda");
    assert.equal(cap.interpreter.prefix, prefix);

    const byName = new Map(cap.packages.map((p) => [p.name, p]));
    assert.deepEqual(byName.get("numpy"), {
      name: "numpy",
      version: "1.26.4",
      installer: "conda",
      source: { kind: "conda", url: `${channel}/linux-64/numpy-1.26.4-py311h64a7726_0.conda`, vcs: "", commit: "", archiveHash: "", channel, build: "py311h64a7726_0", recordDigest: "" },
      shadowed: false,
    });
    assert.equal(byName.get("typing-extensions")?.source?.build, "pyha770c72_0");
    assert.equal(byName.get("six")?.installer, "pip");
    assert.equal(byName.get("six")?.source?.kind, "index");
    for (const [name, version, build] of [
      ["python", "3.11.9", "hb806964_0_cpython"],
      ["mkl", "2023.2.0", "h84fe81f_50496"],
      ["cudatoolkit", "11.8.0", "h4ba93d1_13"],
      ["_libgcc_mutex", "0.1", "conda_forge"],
    ] as const) {
      const p = byName.get(name);
      assert.equal(p?.version, version, name);
      assert.equal(p.installer, "conda");
      assert.equal(p.source?.kind, "conda");
      assert.equal(p.source.build, build);
    }
    // Credentials and the conda token never reach the snapshot.
    assert.equal(byName.get("cudatoolkit")?.source?.channel, "https://conda.example.invalid/nvidia");
    assert.ok(!JSON.stringify(cap).includes("s3cret") && !JSON.stringify(cap).includes("tk-123"));

    // Every importable distribution, name for name and version for version; the rest are the
    // conda packages that are not Python distributions.
    const reference = await pythonListDistributions(python, env);
    const condaOnly = new Set(["python", "mkl", "cudatoolkit", "_libgcc_mutex"]);
    assert.deepEqual(sorted(new Map([...winners(cap.packages)].filter(([n]) => !condaOnly.has(n)))), sorted(reference));
  });

  void it("uv installs: installer uv", async () => {
    const venv = path.join(root, "uv-venv");
    const python = await createVenv(venv, ["uv"]);
    const uv = path.join(venv, "bin", "uv");
    const target = path.join(root, "uv-target");
    await runOrFail(python, ["-m", "venv", target]);
    await runOrFail(uv, ["pip", "install", "-q", "--python", path.join(target, "bin", "python"), "six==1.16.0"], { env: { ...process.env, UV_CACHE_DIR: path.join(root, "uv-cache") } });
    const targetPython = path.join(target, "bin", "python");
    const cap = await capturePython({ argv: [targetPython], cwd: root, env: process.env });
    const six = cap.packages.find((p) => p.name === "six");
    assert.equal(six?.installer, "uv");
    assert.equal(six.version, "1.16.0");
    assert.deepEqual(sorted(winners(cap.packages)), sorted(await pythonListDistributions(targetPython)));
  });

  void it("a console script run through env and nohup resolves to its venv's interpreter", async () => {
    const bin = path.dirname(venvPython);
    const cap = await capturePython({ argv: ["env", "OMP_NUM_THREADS=1", "nohup", path.join(bin, "pip"), "--version"], cwd: root, env: { ...process.env, PATH: "/usr/bin:/bin" } });
    assert.equal(cap.interpreter.prefix, path.join(root, "venv"));
    assert.ok(cap.packages.some((p) => p.name === "six"));
  });

  void it("pip install and pip uninstall invalidate the fingerprint cache", async () => {
    const dir = path.join(root, "cache-venv");
    const python = await createVenv(dir, []);
    const opts = { argv: [python, "train.py"], cwd: root, env: process.env, cacheDir };
    await sleep(150);
    const first = await capturePython(opts);
    assert.equal(first.cache, "miss");
    const hit = await capturePython(opts);
    assert.equal(hit.cache, "hit");
    assert.deepEqual(hit.packages, first.packages);
    assert.deepEqual(hit.interpreter, first.interpreter);

    await pipInstall(python, ["six==1.16.0"]);
    // A fingerprint taken within 100 ms of a change is not cached (a second change could hide in
    // the same timestamp): let the install settle so this one is stored for the hit below.
    await sleep(150);
    const installed = await capturePython(opts);
    assert.equal(installed.cache, "miss");
    assert.equal(installed.packages.find((p) => p.name === "six")?.version, "1.16.0");
    await sleep(150);
    assert.equal((await capturePython(opts)).cache, "hit");

    await runOrFail(path.join(dir, "bin", "pip"), ["uninstall", "-y", "-q", "six"]);
    const removed = await capturePython(opts);
    assert.equal(removed.cache, "miss");
    assert.ok(!removed.packages.some((p) => p.name === "six"));
    assert.deepEqual(sorted(winners(removed.packages)), sorted(await pythonListDistributions(python)));

    // Through captureSnapshot too (how fast a warm capture is, is for bench/, not a test).
    await sleep(150);
    const snapOpts = { argv: [python], cwd: root, env: process.env, maxArchiveBytes: 1024, cacheDir };
    await captureSnapshot(snapOpts);
    const warm = await captureSnapshot(snapOpts);
    assert.equal(warm.pythonCache, "hit");
  });

  void it("huge environments (2,000 distributions) and broken ones: warnings, never a throw", async () => {
    const dir = path.join(root, "huge-venv");
    const python = await createVenv(dir, []);
    const lib = readdirSync(path.join(dir, "lib")).find((d) => d.startsWith("python")) ?? "";
    const site = path.join(dir, "lib", lib, "site-packages");
    for (let i = 0; i < 2000; i++) {
      const d = path.join(site, `pkg${i}-1.${i}.dist-info`);
      mkdirSync(d);
      writeFileSync(path.join(d, "METADATA"), `Metadata-Version: 2.1\nName: pkg${i}\nVersion: 1.${i}\n\n${"description ".repeat(200)}`);
      writeFileSync(path.join(d, "INSTALLER"), "pip\n");
    }
    const cap = await capturePython({ argv: [python], cwd: root, env: process.env });
    assert.ok(cap.packages.length >= 2000);
    assert.deepEqual(sorted(winners(cap.packages)), sorted(await pythonListDistributions(python)));

    // Then break it: an install in progress, a link loop, non-UTF-8 metadata, a FIFO for METADATA.
    mkdirSync(path.join(site, "halfway-2.0.dist-info"));
    writeFileSync(path.join(site, "halfway-2.0.dist-info", "RECORD"), "");
    const { symlinkSync } = await import("node:fs");
    symlinkSync(path.join(site, "loop-1.0.dist-info"), path.join(site, "loop-1.0.dist-info"));
    mkdirSync(path.join(site, "latin-1.0.dist-info"));
    writeFileSync(path.join(site, "latin-1.0.dist-info", "METADATA"), Buffer.concat([Buffer.from("Name: latin\nVersion: 1.0\nAuthor: "), Buffer.from([0xe9, 0xff]), Buffer.from("\n")]));
    mkdirSync(path.join(site, "fifo-1.0.dist-info"));
    await runOrFail("mkfifo", [path.join(site, "fifo-1.0.dist-info", "METADATA")]);
    const broken = await captureSnapshot({ argv: [python], cwd: root, env: process.env, maxArchiveBytes: 1024, cacheDir: "" });
    const names = new Map(broken.environment.packages.map((p) => [p.name, p.version]));
    assert.equal(names.get("latin"), "1.0");
    assert.equal(names.get("halfway"), "2.0");
    assert.equal(names.get("fifo"), "1.0");
    assert.ok(broken.warnings.some((w) => w.message.includes("loop-1.0.dist-info")), JSON.stringify(broken.warnings));
    assert.ok(broken.warnings.some((w) => w.message.includes("halfway-2.0.dist-info")));
    assert.ok(broken.warnings.some((w) => w.message.includes("fifo-1.0.dist-info")));
  });
});
