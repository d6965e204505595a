import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseProbeOutput } from "../../agent/python/probe-interpreter.js";
import { isPythonExecutableName, parseShebang, resolvePython } from "../../agent/python/resolve-python.js";

void describe("isPythonExecutableName", () => {
  void it("knows interpreter names", () => {
    for (const n of ["python", "python3", "python3.11", "/usr/bin/python3.12", "pypy3", "pypy3.10", "python3.13t", "python3-dbg"]) {
      assert.equal(isPythonExecutableName(n), true, n);
    }
    for (const n of ["python-config", "python3.11-config", "pythonista", "ipython", "bash", "torchrun", "train.py"]) {
      assert.equal(isPythonExecutableName(n), false, n);
    }
  });
});

void describe("parseShebang", () => {
  void it("reads direct and env shebangs", () => {
    assert.deepEqual(parseShebang("#!/opt/venv/bin/python3 -u\nimport x\n"), { interpreter: "/opt/venv/bin/python3", args: ["-u"], viaEnv: false });
    assert.deepEqual(parseShebang("#!/usr/bin/env python3\n"), { interpreter: "python3", args: [], viaEnv: true });
    assert.deepEqual(parseShebang("#! /usr/bin/env -S python3 -u\n"), { interpreter: "python3", args: ["-u"], viaEnv: true });
    assert.deepEqual(parseShebang("#!/usr/bin/env -S PYTHONHASHSEED=0 python3.11\n"), { interpreter: "python3.11", args: [], viaEnv: true });
    assert.deepEqual(parseShebang("#!/bin/bash\r\n"), { interpreter: "/bin/bash", args: [], viaEnv: false });
  });

  void it("reads pip's /bin/sh trampoline for long interpreter paths", () => {
    const head = `#!/bin/sh\n'''exec' "/very/long/venv/bin/python" "$0" "$@"\n' '''\n`;
    assert.deepEqual(parseShebang(head), { interpreter: "/very/long/venv/bin/python", args: [], viaEnv: false });
  });

  void it("gives null without a shebang", () => {
    assert.equal(parseShebang("import sys\n"), null);
    assert.equal(parseShebang("\x7fELF"), null);
    assert.equal(parseShebang("#!"), null);
  });
});

void describe("parseProbeOutput", () => {
  void it("ignores what a sitecustomize printed and resolves relative sys.path entries", () => {
    const out = `hello from sitecustomize\n@@snaptrail-probe@@${JSON.stringify({
      implementation: "cpython",
      version: "3.11.7",
      executable: "/v/bin/python",
      prefix: "/v",
      base_prefix: "/usr",
      platform: "linux-x86_64",
      path: ["/usr/lib/python311.zip", "rel/dir", "/v/lib/python3.11/site-packages"],
    })}\n`;
    const p = parseProbeOutput(out, "/work");
    assert.deepEqual(p?.sysPath, ["/usr/lib/python311.zip", "/work/rel/dir", "/v/lib/python3.11/site-packages"]);
    assert.equal(p?.basePrefix, "/usr");
    assert.equal(parseProbeOutput("no marker", "/"), null);
  });
});

void describe("resolvePython", () => {
  let dir: string;
  let bin: string;
  let venv: string;
  let conda: string;

  const exe = (file: string, content = "#!/bin/sh\n") => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    chmodSync(file, 0o755);
    return file;
  };

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "snaptrail-resolve-"));
    bin = path.join(dir, "bin");
    venv = path.join(dir, "venv");
    conda = path.join(dir, "conda");
    exe(path.join(bin, "python3"));
    exe(path.join(bin, "python3.11"));
    exe(path.join(venv, "bin", "python"));
    exe(path.join(conda, "bin", "python"));
    exe(path.join(dir, "other", "bin", "python3"));
    exe(path.join(bin, "torchrun"), `#!${path.join(venv, "bin", "python")}\nimport sys\n`);
    exe(path.join(bin, "tool-env"), "#!/usr/bin/env python3.11\n");
    exe(path.join(bin, "runner.sh"), "#!/bin/bash\necho\n");
    exe(path.join(dir, "train.py"), `#!${path.join(dir, "other", "bin", "python3")}\nprint(1)\n`);
    writeFileSync(path.join(dir, "plain.py"), "print(1)\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const env = () => ({ PATH: bin });

  void it("uses an explicit interpreter first", () => {
    const r = resolvePython({ argv: ["python3"], cwd: dir, env: env(), python: path.join(venv, "bin", "python") });
    assert.deepEqual(r, { ok: true, path: path.join(venv, "bin", "python"), source: "explicit" });
  });

  void it("uses argv[0] when it is python, found on PATH", () => {
    assert.deepEqual(resolvePython({ argv: ["python3.11", "x.py"], cwd: dir, env: env() }), {
      ok: true,
      path: path.join(bin, "python3.11"),
      source: "argv",
    });
  });

  void it("follows a console script's shebang to its interpreter", () => {
    const r = resolvePython({ argv: ["torchrun", "x.py"], cwd: dir, env: { ...env(), VIRTUAL_ENV: conda } });
    assert.deepEqual(r, { ok: true, path: path.join(venv, "bin", "python"), source: "shebang" });
  });

  void it("follows an env shebang through PATH", () => {
    const r = resolvePython({ argv: ["tool-env"], cwd: dir, env: env() });
    assert.deepEqual(r, { ok: true, path: path.join(bin, "python3.11"), source: "shebang" });
  });

  void it("follows a script path's shebang", () => {
    const r = resolvePython({ argv: ["./train.py"], cwd: dir, env: env() });
    assert.deepEqual(r, { ok: true, path: path.join(dir, "other", "bin", "python3"), source: "shebang" });
  });

  void it("falls back to VIRTUAL_ENV, then CONDA_PREFIX, then PATH", () => {
    assert.equal((resolvePython({ argv: ["runner.sh"], cwd: dir, env: { ...env(), VIRTUAL_ENV: venv, CONDA_PREFIX: conda } })).ok, true);
    assert.deepEqual(resolvePython({ argv: ["runner.sh"], cwd: dir, env: { ...env(), VIRTUAL_ENV: venv, CONDA_PREFIX: conda } }), {
      ok: true,
      path: path.join(venv, "bin", "python"),
      source: "VIRTUAL_ENV",
    });
    assert.deepEqual(resolvePython({ argv: ["./plain.py"], cwd: dir, env: { ...env(), CONDA_PREFIX: conda } }), {
      ok: true,
      path: path.join(conda, "bin", "python"),
      source: "CONDA_PREFIX",
    });
    assert.deepEqual(resolvePython({ argv: ["runner.sh"], cwd: dir, env: env() }), { ok: true, path: path.join(bin, "python3"), source: "PATH" });
  });

  void it("says what it could not find", () => {
    const missing = resolvePython({ argv: ["python3.99"], cwd: dir, env: env() });
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? "" : missing.message, /python3\.99.*not found/);
    const none = resolvePython({ argv: ["runner.sh"], cwd: dir, env: { PATH: path.join(dir, "empty") } });
    assert.equal(none.ok, false);
    const badShebang = resolvePython({ argv: ["./x.py"], cwd: dir, env: env() });
    assert.equal(badShebang.ok, true); // no such script: falls back to PATH
  });
});
