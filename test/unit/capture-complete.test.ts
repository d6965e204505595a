import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { resolveAgentOptions } from "../../agent/agent-options.js";
import { cacheKey, cwdMatters, defaultCacheDir, FingerprintCache, isRacy, takeStamps } from "../../agent/capture/fingerprint-cache.js";
import { collectEnvVars } from "../../agent/env/collect-env-vars.js";
import { redactionMarker } from "../../agent/env/redact.js";
import { detectImage } from "../../agent/host/detect-container-image.js";
import { imageFromPod, pickContainer } from "../../agent/host/kubernetes-image.js";
import { loadedModules, moduleNameFromFile } from "../../agent/host/loaded-modules.js";
import { sifDigest } from "../../agent/host/sif-digest.js";
import { runConfigFor } from "../../agent/orchestrator/run-config-for.js";
import { interpreterKind } from "../../agent/python/interpreter-kind.js";
import { condaChannel, condaOnlyPackages, condaRecordsByMetadata, parseCondaRecord, readCondaMeta } from "../../agent/python/read-conda-meta.js";
import { unwrapLaunchers } from "../../agent/python/resolve-python.js";
import { scanDistributions } from "../../agent/python/scan-distributions.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;

void describe("conda-meta", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-conda-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  // Trimmed from a record conda 24 wrote for a conda-forge package (keys sorted, as conda writes them).
  const numpy = {
    build: "py311h64a7726_0",
    build_number: 0,
    channel: "https://conda.example.invalid/conda-forge/linux-64",
    constrains: ["numpy-base <0a0"],
    depends: ["libblas >=3.9.0,<4.0a0", "python >=3.11,<3.12.0a0", "python_abi 3.11.* *_cp311"],
    files: ["bin/f2py", "lib/python3.11/site-packages/numpy-1.26.4.dist-info/INSTALLER", "lib/python3.11/site-packages/numpy-1.26.4.dist-info/METADATA", "lib/python3.11/site-packages/numpy/__init__.py"],
    fn: "numpy-1.26.4-py311h64a7726_0.conda",
    name: "numpy",
    subdir: "linux-64",
    url: "https://conda.example.invalid/conda-forge/linux-64/numpy-1.26.4-py311h64a7726_0.conda",
    version: "1.26.4",
  };

  void it("reads name, version, build, channel and the Python metadata a record installed", () => {
    const r = parseCondaRecord(JSON.stringify(numpy), "/opt/env");
    assert.ok(r.ok);
    assert.deepEqual(r.record, {
      name: "numpy",
      version: "1.26.4",
      build: "py311h64a7726_0",
      channel: "https://conda.example.invalid/conda-forge",
      url: numpy.url,
      pythonMetadata: ["/opt/env/lib/python3.11/site-packages/numpy-1.26.4.dist-info"],
    });
  });

  void it("strips credentials, conda tokens and platform subdirs from channels; keeps channel names", () => {
    assert.equal(condaChannel("https://u:p@repo.example.invalid/t/abc-123/pkgs/main/linux-64"), "https://repo.example.invalid/pkgs/main");
    assert.equal(condaChannel("https://repo.example.invalid/conda-forge/noarch/"), "https://repo.example.invalid/conda-forge");
    assert.equal(condaChannel("conda-forge"), "conda-forge");
    assert.equal(condaChannel("pkgs/main"), "pkgs/main");
    // An old record with only a URL.
    const r = parseCondaRecord(JSON.stringify({ name: "mkl", version: "2023.1.0", build: "h213fc3f_46344", url: "https://repo.example.invalid/pkgs/main/linux-64/mkl-2023.1.0-h213fc3f_46344.conda" }), "/p");
    assert.ok(r.ok);
    assert.equal(r.record.channel, "https://repo.example.invalid/pkgs/main");
  });

  void it("refuses records that are not JSON objects with a name and version", () => {
    for (const bad of ["", "[]", "{", JSON.stringify({ name: "x" }), "\u00ff\u00fe"]) assert.equal(parseCondaRecord(bad, "/p").ok, false, bad);
  });

  void it("reads a conda-meta folder: non-Python packages become packages, bad records warnings", () => {
    const prefix = path.join(root, "env");
    mkdirSync(path.join(prefix, "conda-meta"), { recursive: true });
    writeFileSync(path.join(prefix, "conda-meta", "numpy-1.26.4-py311h64a7726_0.json"), JSON.stringify(numpy));
    writeFileSync(path.join(prefix, "conda-meta", "mkl-2023.2.0-h84fe81f_50496.json"), JSON.stringify({ ...numpy, name: "mkl", version: "2023.2.0", build: "h84fe81f_50496", files: ["lib/libmkl_core.so.2"], url: "" }));
    writeFileSync(path.join(prefix, "conda-meta", "broken-1-0.json"), '{"name": "broken", "vers');
    writeFileSync(path.join(prefix, "conda-meta", "history"), "==> 2024-05-01 <==\n");
    const meta = readCondaMeta(prefix);
    assert.ok(meta);
    assert.deepEqual(meta.records.map((r) => r.name), ["mkl", "numpy"]);
    assert.equal(meta.warnings.length, 1);
    assert.match(meta.warnings[0]?.message ?? "", /broken-1-0\.json: not JSON/);
    assert.deepEqual(condaOnlyPackages(meta), [
      {
        name: "mkl",
        version: "2023.2.0",
        installer: "conda",
        source: { kind: "conda", url: "", vcs: "", commit: "", archiveHash: "", channel: "https://conda.example.invalid/conda-forge", build: "h84fe81f_50496", recordDigest: "" },
        shadowed: false,
      },
    ]);
    assert.equal(readCondaMeta(path.join(root, "not-conda")), null);
  });

  void it("gives a conda-installed distribution its channel and build, not its build machine's direct_url", async () => {
    const prefix = path.join(root, "env2");
    const site = path.join(prefix, "lib", "python3.11", "site-packages");
    const dist = path.join(site, "numpy-1.26.4.dist-info");
    mkdirSync(dist, { recursive: true });
    mkdirSync(path.join(prefix, "conda-meta"));
    writeFileSync(path.join(dist, "METADATA"), "Name: numpy\nVersion: 1.26.4\n");
    writeFileSync(path.join(dist, "direct_url.json"), '{"url": "file:///home/conda/feedstock_root/work", "dir_info": {}}');
    writeFileSync(path.join(prefix, "conda-meta", "numpy.json"), JSON.stringify(numpy));
    const meta = readCondaMeta(prefix);
    assert.ok(meta);
    const scan = await scanDistributions([site], { conda: condaRecordsByMetadata(meta) });
    assert.deepEqual(scan.packages[0]?.source, { kind: "conda", url: numpy.url, vcs: "", commit: "", archiveHash: "", channel: "https://conda.example.invalid/conda-forge", build: "py311h64a7726_0", recordDigest: "" });
    assert.equal(scan.packages[0]?.installer, "conda");
  });
});

void describe("legacy editable installs (.egg-link)", () => {
  void it("marks the .egg-info an .egg-link points at as editable", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-egglink-"));
    try {
      const site = path.join(root, "site-packages");
      const project = path.join(root, "proj");
      mkdirSync(path.join(project, "mylib.egg-info"), { recursive: true });
      mkdirSync(site);
      writeFileSync(path.join(project, "mylib.egg-info", "PKG-INFO"), "Metadata-Version: 2.1\nName: mylib\nVersion: 0.3.0\n");
      writeFileSync(path.join(site, "mylib.egg-link"), `${project}\n.\n`);
      writeFileSync(path.join(site, "easy-install.pth"), `${project}\n`);
      const scan = await scanDistributions([site, project]);
      assert.deepEqual(scan.packages.map((p) => [p.name, p.version, p.source?.kind, p.source?.url]), [["mylib", "0.3.0", "editable", `file://${project}`]]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

void describe("fingerprint cache", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-fpcache-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  void it("lives in SNAPTRAIL_CACHE_DIR, else XDG_CACHE_HOME/snaptrail, else ~/.cache/snaptrail", () => {
    assert.equal(defaultCacheDir({ SNAPTRAIL_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x", HOME: "/h" }), "/c");
    assert.equal(defaultCacheDir({ SNAPTRAIL_CACHE_DIR: "", HOME: "/h" }), "");
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "/x", HOME: "/h" }), "/x/snaptrail");
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "relative", HOME: "/h" }), "/h/.cache/snaptrail");
    assert.equal(defaultCacheDir({ HOME: "/h" }), "/h/.cache/snaptrail");
  });

  void it("keys on the interpreter and the variables that move sys.path, not on PATH", () => {
    const base = { interpreter: "/v/bin/python", env: { PATH: "/a", PYTHONPATH: "/p" }, cwd: "" };
    assert.equal(cacheKey(base), cacheKey({ ...base, env: { PATH: "/b", PYTHONPATH: "/p" } }));
    assert.notEqual(cacheKey(base), cacheKey({ ...base, env: { PATH: "/a", PYTHONPATH: "/q" } }));
    assert.notEqual(cacheKey(base), cacheKey({ ...base, env: { PATH: "/a" } }));
    assert.notEqual(cacheKey(base), cacheKey({ ...base, interpreter: "/w/bin/python" }));
    assert.notEqual(cacheKey(base), cacheKey({ ...base, cwd: "/job" }));
  });

  void it("keys on the job's folder for shims and relative PYTHONPATH entries only", () => {
    const shim = path.join(root, "shim-python3");
    writeFileSync(shim, "#!/usr/bin/env bash\nexec pyenv exec python3 \"$@\"\n");
    const binary = path.join(root, "binary-python3");
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    assert.equal(cwdMatters(shim, {}), true);
    assert.equal(cwdMatters(binary, {}), false);
    assert.equal(cwdMatters(binary, { PYTHONPATH: "src:/abs" }), true);
    assert.equal(cwdMatters(binary, { PYTHONPATH: "/abs" }), false);
  });

  void it("returns an entry until a stamped folder changes, and never stores a racy one", async () => {
    const site = path.join(root, "site");
    mkdirSync(site);
    await sleep(150); // past the racy window
    const cache = new FingerprintCache(path.join(root, "cache"));
    const stamps = takeStamps([site, path.join(root, "user-site-not-yet")]);
    assert.equal(cache.set("k", stamps, { n: 1 }), true);
    assert.deepEqual(cache.get("k"), { n: 1 });
    // A package appears in the user site folder, which did not exist.
    mkdirSync(path.join(root, "user-site-not-yet"));
    assert.equal(cache.get("k"), null);
    // A folder just changed: its stamp could hide a second change in the same clock tick.
    const fresh = takeStamps([site, path.join(root, "user-site-not-yet")]);
    assert.equal(isRacy(fresh), true);
    assert.equal(cache.set("k", fresh, { n: 2 }), false);
    await sleep(150);
    assert.equal(isRacy(fresh), false);
    // Installing into site changes its mtime.
    assert.equal(cache.set("k2", takeStamps([site]), "v"), true);
    mkdirSync(path.join(site, "six-1.16.0.dist-info"));
    assert.equal(cache.get("k2"), null);
  });

  void it("does nothing when off, and ignores an unwritable or corrupt cache", () => {
    const off = new FingerprintCache("");
    assert.equal(off.set("k", {}, 1), false);
    assert.equal(off.get("k"), null);
    const file = path.join(root, "a-file");
    writeFileSync(file, "");
    assert.equal(new FingerprintCache(path.join(file, "sub")).set("k", {}, 1), false);
    const dir = path.join(root, "corrupt");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "python-k.json"), "{not json");
    assert.equal(new FingerprintCache(dir).get("k"), null);
  });
});

void describe("image detection", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-image-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));
  const none = () => path.join(root, "no-containerenv");

  void it("hashes an Apptainer / Singularity image file and caches the digest", async () => {
    const sif = path.join(root, "train.sif");
    const bytes = Buffer.from("SIF_MAGIC fake image body ".repeat(1000));
    writeFileSync(sif, bytes);
    const expected = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    const got = await detectImage({ APPTAINER_CONTAINER: sif }, { containerEnvFile: none(), cacheDir: path.join(root, "cache") });
    assert.deepEqual(got, { image: { reference: sif, digest: expected, source: "apptainer", runtime: "apptainer" }, warnings: [] });
    assert.deepEqual(await sifDigest(sif, path.join(root, "cache")), { ok: true, digest: expected });
    const singularity = await detectImage({ SINGULARITY_CONTAINER: sif }, { containerEnvFile: none() });
    assert.equal(singularity.image?.runtime, "singularity");
    assert.equal(singularity.image?.digest, expected);
  });

  void it("says why an image digest is unknown, and never makes one up", async () => {
    const sandbox = path.join(root, "sandbox");
    mkdirSync(sandbox);
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ APPTAINER_CONTAINER: sandbox }, /sandbox folder/],
      [{ APPTAINER_CONTAINER: "/nowhere/train.sif" }, /cannot be read here/],
      [{ SNAPTRAIL_IMAGE: "ghcr.io/acme/train:1" }, /no @sha256: digest/],
      [{ SNAPTRAIL_IMAGE: "ghcr.io/acme/train:1", SNAPTRAIL_IMAGE_DIGEST: "latest" }, /not sha256:<64 hex>/],
    ];
    for (const [env, why] of cases) {
      const got = await detectImage(env, { containerEnvFile: none() });
      assert.equal(got.image?.digest, "", JSON.stringify(got));
      assert.equal(got.warnings.length, 1);
      assert.match(got.warnings[0]?.message ?? "", /^image digest unknown: /);
      assert.match(got.warnings[0]?.message ?? "", why);
    }
    const podman = path.join(root, "containerenv");
    writeFileSync(podman, 'engine="podman-4.9.3"\nname="train"\n');
    const p = await detectImage({}, { containerEnvFile: podman });
    assert.equal(p.image?.digest, "");
    assert.match(p.warnings[0]?.message ?? "", /--privileged/);
    assert.deepEqual(await detectImage({ SNAPTRAIL_IMAGE: `ghcr.io/acme/train@${DIGEST}` }, { containerEnvFile: none() }), {
      image: { reference: `ghcr.io/acme/train@${DIGEST}`, digest: DIGEST, source: "env", runtime: "" },
      warnings: [],
    });
    assert.deepEqual(await detectImage({}, { containerEnvFile: none() }), { image: null, warnings: [] });
  });

  void it("picks the job's container in a pod", () => {
    const list = [
      { name: "main", image: "a", imageID: `a@${DIGEST}` },
      { name: "wait", image: "b", imageID: "b@sha256:x" },
    ];
    assert.equal((pickContainer(list, {}) as { name: string }).name, "main");
    assert.equal((pickContainer(list, { CONTAINER_NAME: "wait" }) as { name: string }).name, "wait");
    assert.match(pickContainer(list, { SNAPTRAIL_CONTAINER_NAME: "x" }) as string, /no container named x/);
    assert.match(pickContainer([], {}) as string, /lists no containers/);
    assert.equal(imageFromPod({ status: { containerStatuses: [{ name: "c", image: "r:1", imageID: "" }] } }, {}).image.digest, "");
    assert.equal(imageFromPod(null, {}).image.digest, "");
  });
});

void describe("HPC modules", () => {
  void it("reads Environment Modules' and Lmod's _LMFILES_ against MODULEPATH when LOADEDMODULES is missing", () => {
    const env = { MODULEPATH: "/apps/modulefiles:/opt/lmod/core", _LMFILES_: "/apps/modulefiles/cuda/12.1:/opt/lmod/core/gcc/12.2.0.lua:/home/u/private/mine/1.0" };
    assert.deepEqual(loadedModules(env), ["/home/u/private/mine/1.0", "cuda/12.1", "gcc/12.2.0"]);
    assert.deepEqual(loadedModules({ ...env, LOADEDMODULES: "cuda/12.1:gcc/12.2.0" }), ["cuda/12.1", "gcc/12.2.0"]);
    assert.equal(moduleNameFromFile("/apps/modulefiles/openmpi/4.1.5.lua", ["/apps/modulefiles/"]), "openmpi/4.1.5");
  });
});

void describe("env var policy and redaction everywhere", () => {
  void it("denies names and patterns even when they are allowed", () => {
    const env = { HF_HOME: "/data/hf", HF_ENDPOINT: "https://mirror.example.invalid", NCCL_DEBUG: "INFO", MY_FLAG: "1", MY_SECRET_ID: "x" };
    const vars = collectEnvVars(env, ["MY_*"], "s", ["HF_ENDPOINT", "MY_SECRET_*"]);
    assert.deepEqual(vars.map((v) => v.name), ["HF_HOME", "MY_FLAG", "NCCL_DEBUG"]);
  });

  void it("takes envDeny and cacheDir from the config file, env var and flag", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "snaptrail-opts-"));
    try {
      const file = path.join(dir, "agent.json");
      writeFileSync(file, JSON.stringify({ envAllow: ["MY_*"], envDeny: ["HF_TOKEN_PATH", "WANDB_*"], cacheDir: "/var/cache/snaptrail" }));
      const fromFile = resolveAgentOptions({ file, env: {} });
      assert.deepEqual(fromFile.envDeny, ["HF_TOKEN_PATH", "WANDB_*"]);
      assert.equal(fromFile.cacheDir, "/var/cache/snaptrail");
      const fromEnv = resolveAgentOptions({ file, env: { SNAPTRAIL_ENV_DENY: "A_*, B" } });
      assert.deepEqual(fromEnv.envDeny, ["A_*", "B"]);
      assert.deepEqual(resolveAgentOptions({ env: {} }).envDeny, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it("redacts orchestrator parameters by name and by value", () => {
    const ctx = { kind: "SLURM" as const, pipeline: "", pipelineRun: "", step: "", attempt: 0, attributes: {} };
    const env = { SLURM_JOB_ID: "1", SLURM_JOB_NAME: "train ghp_abcdefghijklmnopqrstuvwxyz0123456789", SLURM_JOB_PARTITION: "gpu" };
    const cfg = runConfigFor(ctx, ["python", "train.py"], "/w", env, "s");
    assert.equal(cfg.parameters.partition, "gpu");
    assert.equal(cfg.parameters["job-name"], `train ${redactionMarker("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "s")}`);
  });
});

void describe("interpreter discovery", () => {
  void it("sees through env, nohup, time and nice to the command", () => {
    assert.deepEqual(unwrapLaunchers(["env", "-u", "X", "A=1", "B=2", "torchrun", "--nproc-per-node=2", "train.py"]), ["torchrun", "--nproc-per-node=2", "train.py"]);
    assert.deepEqual(unwrapLaunchers(["nohup", "nice", "-n", "5", "time", "-p", "python3", "-m", "pkg.mod"]), ["python3", "-m", "pkg.mod"]);
    assert.deepEqual(unwrapLaunchers(["accelerate", "launch", "train.py"]), ["accelerate", "launch", "train.py"]);
    assert.deepEqual(unwrapLaunchers(["env"]), ["env"]);
    assert.deepEqual(unwrapLaunchers([]), []);
  });

  void it("names uv-managed, pyenv and conda interpreters", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-kind-"));
    try {
      const uvPython = path.join(root, "home", ".local", "share", "uv", "python", "cpython-3.12.4-linux-x86_64-gnu");
      mkdirSync(uvPython, { recursive: true });
      assert.equal(await interpreterKind(uvPython, path.join(uvPython, "bin", "python3.12"), uvPython, { HOME: path.join(root, "home") }), "uv");
      assert.equal(await interpreterKind("/opt/py", "/opt/py/bin/python3", "/opt/py", { UV_PYTHON_INSTALL_DIR: "/opt" }), "uv");
      assert.equal(await interpreterKind("/srv/pyenv/versions/3.11.7", "/srv/pyenv/versions/3.11.7/bin/python3", "/srv/pyenv/versions/3.11.7", { PYENV_ROOT: "/srv/pyenv", HOME: "/nohome" }), "pyenv");
      assert.equal(await interpreterKind("/usr", "/usr/bin/python3", "/usr", { HOME: "/nohome" }), "system");
      const conda = path.join(root, "mamba-env");
      mkdirSync(path.join(conda, "conda-meta"), { recursive: true });
      assert.equal(await interpreterKind(conda, path.join(conda, "bin", "python"), conda, {}), "conda");
      // A venv made from a uv-managed interpreter is still a venv.
      const venv = path.join(root, "venv");
      mkdirSync(venv);
      writeFileSync(path.join(venv, "pyvenv.cfg"), `home = ${uvPython}/bin\nuv = 0.4.18\n`);
      symlinkSync(path.join(uvPython, "bin", "python3.12"), path.join(root, "link"));
      assert.equal(await interpreterKind(venv, path.join(venv, "bin", "python"), uvPython, { HOME: path.join(root, "home") }), "venv");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
