import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { compareEnvironments, describeDifferences } from "../../agent/restore/env/compare-environments.js";
import { executableNames, interpreterCandidates } from "../../agent/restore/env/interpreter-candidates.js";
import { packageSetDigest } from "../../agent/restore/env/package-set-digest.js";
import { planInstall } from "../../agent/restore/env/plan-install.js";
import { verifyImage } from "../../agent/restore/env/verify-image.js";
import type { EnvironmentSnapshot, Package, PackageSource } from "../../core/model.js";

function source(kind: string, extra: Partial<PackageSource> = {}): PackageSource {
  return { kind, url: "", vcs: "", commit: "", archiveHash: "", channel: "", build: "", recordDigest: "", ...extra };
}

function pkg(name: string, version: string, src: PackageSource = source("index"), extra: Partial<Package> = {}): Package {
  return { name, version, installer: "pip", source: src, shadowed: false, ...extra };
}

function env(packages: Package[], interp: Partial<EnvironmentSnapshot["interpreter"]> = {}): EnvironmentSnapshot {
  return {
    interpreter: { implementation: "cpython", version: "3.11.7", executable: "/opt/job/venv/bin/python", prefix: "/opt/job/venv", basePrefix: "/usr", platform: "linux-x86_64", kind: "venv", ...interp },
    packages,
    image: null,
    os: { id: "debian", versionId: "12", prettyName: "Debian 12", libc: "glibc 2.36" },
    env: [{ name: "OMP_NUM_THREADS", value: "4", redacted: false }],
    modules: [],
    indexes: null,
  };
}

const BASE = [pkg("pydantic", "1.10.13"), pkg("typing-extensions", "4.12.2")];

void describe("package-set digest", () => {
  const digest = (e: EnvironmentSnapshot): string => packageSetDigest(e);

  void it("ignores what a rebuild cannot reproduce: paths, kind, platform, OS, env vars, installer", () => {
    const rebuilt = env(
      BASE.map((p) => ({ ...p, installer: "uv" })),
      { executable: "/cache/venvs/ab/bin/python", prefix: "/cache/venvs/ab", basePrefix: "/root/.pyenv/versions/3.11.7", kind: "venv", platform: "linux-aarch64" },
    );
    rebuilt.os = null;
    rebuilt.env = [];
    assert.equal(digest(rebuilt), digest(env(BASE)));
    assert.match(digest(env(BASE)), /^sha256:[0-9a-f]{64}$/);
  });

  void it("moves with a version, an added or removed package, the interpreter version or implementation", () => {
    const d = digest(env(BASE));
    assert.notEqual(digest(env([pkg("pydantic", "2.7.1"), BASE[1]!])), d);
    assert.notEqual(digest(env([...BASE, pkg("six", "1.16.0")])), d);
    assert.notEqual(digest(env([BASE[0]!])), d);
    assert.notEqual(digest(env(BASE, { version: "3.11.2" })), d);
    assert.notEqual(digest(env(BASE, { implementation: "pypy" })), d);
  });

  void it("counts a VCS commit and url and a local archive's hash, not a local path; leaves shadowed copies out", () => {
    const vcs = (commit: string, url = "https://git.example.invalid/a.git"): Package => pkg("a", "1.0", source("vcs", { vcs: "git", url, commit }));
    assert.notEqual(digest(env([vcs("1".repeat(40))])), digest(env([vcs("2".repeat(40))])));
    assert.notEqual(digest(env([vcs("1".repeat(40))])), digest(env([vcs("1".repeat(40), "https://git.example.invalid/fork.git")])));
    const local = (url: string, archiveHash: string): Package => pkg("b", "2.0", source("local", { url, archiveHash }));
    assert.equal(digest(env([local("file:///home/a/code/b", "")])), digest(env([local("file:///restore/code/b", "")])));
    assert.notEqual(digest(env([local("file:///w/b.whl", "sha256=aa")])), digest(env([local("file:///w/b.whl", "sha256=bb")])));
    const editable = (url: string): Package => pkg("c", "0.1", source("editable", { url }));
    assert.equal(digest(env([editable("file:///home/a/code/c")])), digest(env([editable("file:///tmp/restored/c")])));
    assert.equal(digest(env([...BASE, pkg("pydantic", "2.7.1", source("index"), { shadowed: true })])), digest(env(BASE)));
  });

  void it("treats an unknown source as the index (name==version is all that is known and all that is installed)", () => {
    assert.equal(digest(env([pkg("foo", "1.0", source("unknown"))])), digest(env([pkg("foo", "1.0", source("index"))])));
    assert.notEqual(digest(env([pkg("foo", "1.0", source("conda", { channel: "conda-forge", build: "py_0" }))])), digest(env([pkg("foo", "1.0")])));
  });
});

void describe("compareEnvironments", () => {
  void it("lists every difference, and matches exactly when the digests are equal", () => {
    const recorded = env(BASE);
    const actual = env([pkg("pydantic", "2.7.1"), pkg("pydantic-core", "2.18.2"), pkg("typing-extensions", "4.12.2", source("vcs", { vcs: "git", url: "u", commit: "c".repeat(40) }))], { version: "3.11.2" });
    const c = compareEnvironments(recorded, actual);
    assert.equal(c.matches, false);
    assert.deepEqual(c.interpreter, [{ field: "interpreter.version", from: "3.11.7", to: "3.11.2" }]);
    assert.deepEqual(c.packages.added, [{ name: "pydantic-core", version: "2.18.2" }]);
    assert.deepEqual(c.packages.removed, []);
    assert.deepEqual(c.packages.changed.map((p) => [p.name, p.direction]), [["pydantic", "upgrade"], ["typing-extensions", "source"]]);
    const lines = describeDifferences(c);
    assert.ok(lines.includes("pydantic 1.10.13 -> 2.7.1 (upgrade, major)"), lines.join("\n"));
    assert.ok(lines.includes("pydantic-core 2.18.2 not recorded"), lines.join("\n"));
    assert.ok(lines.some((l) => l.startsWith("typing-extensions source index -> git+u@cccccccccccc")), lines.join("\n"));

    const same = compareEnvironments(recorded, env(BASE.map((p) => ({ ...p, installer: "uv" })), { executable: "/elsewhere/bin/python" }));
    assert.equal(same.matches, true);
    assert.equal(same.recordedDigest, same.actualDigest);
    assert.deepEqual(describeDifferences(same), []);
  });
});

void describe("planInstall", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-plan-"));
    mkdirSync(path.join(root, "restored", "libs", "helper"), { recursive: true });
    mkdirSync(path.join(root, "wheels"));
    writeFileSync(path.join(root, "wheels", "w-1.0-py3-none-any.whl"), "not really a wheel, but bytes with a hash");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  void it("pins index packages, VCS installs at their commit, and maps local packages into the restored code", async () => {
    const wheel = path.join(root, "wheels", "w-1.0-py3-none-any.whl");
    const hash = createHash("sha256").update(readFileSync(wheel)).digest("hex");
    const plan = await planInstall(
      [
        pkg("pydantic", "1.10.13"),
        pkg("pydantic", "2.7.1", source("index"), { shadowed: true }),
        pkg("legacy", "0.1", source("unknown")),
        pkg("v", "0.4.0", source("vcs", { vcs: "git", url: "https://git.example.invalid/v.git", commit: "a".repeat(40) })),
        pkg("helper", "0.3.0", source("editable", { url: "file:///home/ana/proj/libs/helper" })),
        pkg("helper-copy", "0.3.0", source("local", { url: "file:///home/ana/proj/libs/helper" })),
        pkg("w", "1.0", source("local", { url: pathToFileURL(wheel).href, archiveHash: `sha256=${hash}` })),
      ],
      { codeDir: path.join(root, "restored"), recordedCodeRoot: "/home/ana/proj" },
    );
    assert.deepEqual(plan.unrestorable, []);
    assert.deepEqual(
      plan.items.map((i) => [i.name, i.args]),
      [
        ["pydantic", ["pydantic==1.10.13"]],
        ["legacy", ["legacy==0.1"]],
        ["v", [`git+https://git.example.invalid/v.git@${"a".repeat(40)}`]],
        ["helper", ["-e", path.join(root, "restored", "libs", "helper")]],
        ["helper-copy", [path.join(root, "restored", "libs", "helper")]],
        ["w", [wheel]],
      ],
    );
  });

  void it("names each package that cannot be restored, with why", async () => {
    const plan = await planInstall(
      [
        pkg("numpy", "1.26.4", source("conda", { channel: "conda-forge", build: "py311_0" })),
        pkg("outside", "1.0", source("editable", { url: "file:///srv/shared/outside" })),
        pkg("gone", "1.0", source("editable", { url: "file:///home/ana/proj/libs/gone" })),
        pkg("w", "1.0", source("local", { url: pathToFileURL(path.join(root, "wheels", "w-1.0-py3-none-any.whl")).href, archiveHash: `sha256=${"0".repeat(64)}` })),
        pkg("v", "0.4.0", source("vcs", { vcs: "git", url: "https://git.example.invalid/v.git" })),
        pkg("noversion", ""),
      ],
      { codeDir: path.join(root, "restored"), recordedCodeRoot: "/home/ana/proj" },
    );
    assert.deepEqual(plan.items, []);
    const why = new Map(plan.unrestorable.map((u) => [u.name, u.why]));
    assert.match(why.get("numpy") ?? "", /conda package/);
    assert.match(why.get("outside") ?? "", /outside the code root \/home\/ana\/proj/);
    assert.match(why.get("gone") ?? "", /restored code has no libs\/gone/);
    // The wheel is there, but its bytes are not the recorded ones.
    assert.match(why.get("w") ?? "", /outside the code root/);
    assert.match(why.get("v") ?? "", /no recorded commit/);
    assert.match(why.get("noversion") ?? "", /no version/);
  });
});

void describe("interpreter candidates", () => {
  void it("names python3.X, python3 and python (pypy for pypy)", () => {
    assert.deepEqual(executableNames("cpython", "3.11.2"), ["python3.11", "python3", "python"]);
    assert.deepEqual(executableNames("pypy", "3.10.14"), ["pypy3.10", "pypy3", "pypy"]);
  });

  void it("looks on PATH, in /usr/bin, then pyenv and uv folders (the version's own first) and conda", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "snaptrail-cand-"));
    try {
      for (const v of ["3.10.13", "3.11.2", "3.12.1"]) mkdirSync(path.join(home, "pyenv", "versions", v), { recursive: true });
      mkdirSync(path.join(home, "uvpy", "cpython-3.11.2-linux-x86_64-gnu"), { recursive: true });
      mkdirSync(path.join(home, "miniconda3", "envs", "train"), { recursive: true });
      const list = await interpreterCandidates("cpython", "3.11.2", { PATH: "/opt/x/bin:relative", HOME: home, PYENV_ROOT: path.join(home, "pyenv"), UV_PYTHON_INSTALL_DIR: path.join(home, "uvpy") });
      const paths = list.map((c) => c.path);
      assert.deepEqual(paths.slice(0, 3), ["/opt/x/bin/python3.11", "/opt/x/bin/python3", "/opt/x/bin/python"]);
      assert.ok(paths.includes("/usr/bin/python3.11"));
      const pyenv = list.filter((c) => c.where === "pyenv").map((c) => c.path);
      assert.deepEqual(pyenv, ["3.11.2", "3.10.13", "3.12.1"].map((v) => path.join(home, "pyenv", "versions", v, "bin", "python3")));
      assert.ok(paths.includes(path.join(home, "uvpy", "cpython-3.11.2-linux-x86_64-gnu", "bin", "python3")));
      assert.ok(paths.includes(path.join(home, "miniconda3", "envs", "train", "bin", "python")));
      assert.ok(!paths.some((p) => p.startsWith("relative")));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

void describe("verifyImage", () => {
  const digestA = `sha256:${"a".repeat(64)}`;
  const digestB = `sha256:${"b".repeat(64)}`;
  const withImage = (digest: string): EnvironmentSnapshot => ({ ...env(BASE), image: { reference: "registry.invalid/train:1", digest, source: "env", runtime: "" } });
  // A clean environment, so that this host's own container (if any) does not answer.
  const base = { PATH: process.env.PATH };

  void it("matches the running image's digest", async () => {
    const r = await verifyImage({ environment: withImage(digestA), env: { ...base, SNAPTRAIL_IMAGE_DIGEST: digestA } });
    assert.deepEqual(r, { matches: true, recorded: digestA, actual: digestA });
  });

  void it("a different or unknown digest is a mismatch with the reason", async () => {
    const other = await verifyImage({ environment: withImage(digestA), env: { ...base, SNAPTRAIL_IMAGE_DIGEST: digestB } });
    assert.equal(other.matches, false);
    assert.match(other.reason ?? "", new RegExp(`is ${digestB}.*recorded .*${digestA}`));
    const unknown = await verifyImage({ environment: withImage(digestA), env: { ...base, SNAPTRAIL_IMAGE: "registry.invalid/train:latest" } });
    assert.equal(unknown.matches, false);
    assert.match(unknown.reason ?? "", /no @sha256: digest/);
    const none = await verifyImage({ environment: withImage(""), env: { ...base, SNAPTRAIL_IMAGE_DIGEST: digestA } });
    assert.equal(none.matches, false);
    assert.match(none.reason ?? "", /without a digest/);
  });
});
