import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffCode } from "../../collector/diff/code-diff.js";
import { diffConfig, diffEnv, diffModules } from "../../core/diff/config-diff.js";
import { diffRuns } from "../../collector/diff/diff-runs.js";
import { diffHost, summariseGpus } from "../../core/diff/field-diff.js";
import { shellJoin } from "../../core/diff/shell-quote.js";
import { codeSnapshot, environment, host, pkg, run, tarArchive } from "../helpers/diff-fixtures.js";
import { MemoryBlobStore } from "../helpers/memory-blob-store.js";

void describe("diffRuns", () => {
  void it("says identical for two runs of the same snapshot, whatever their ids and times", async () => {
    const blobs = new MemoryBlobStore();
    const code = await codeSnapshot({ "train.py": "print(1)\n" }, blobs);
    const a = run("airflow:d/r1/t/1", { code });
    const b = run("airflow:d/r2/t/1", { code, startedAt: "2024-05-02T02:00:00.000Z", durationMs: 5, status: "failed", exitCode: 1 });
    const d = await diffRuns(a, b, blobs);
    assert.equal(d.identical, true);
    assert.equal(d.a.runId, "airflow:d/r1/t/1");
    assert.equal(d.b.status, "failed");
    assert.ok(!("environment" in d.a), "a and b are summaries, without snapshot bodies");
    assert.equal(d.packages.unchanged, 3);
    assert.deepEqual(d.code?.modified, []);
  });

  void it("finds package, image, interpreter, config, env, module and host changes", async () => {
    const blobs = new MemoryBlobStore();
    const a = run("a", { environment: environment({ modules: ["cuda/11.8", "gcc/12"] }) });
    const b = run("b", {
      environment: environment({
        interpreter: { ...environment().interpreter!, version: "3.11.9" },
        packages: [pkg("numpy", "1.26.4"), pkg("pydantic", "2.7.1"), pkg("requests", "2.31.0")],
        image: { ...environment().image!, digest: "sha256:" + "b".repeat(64) },
        modules: ["cuda/12.1", "gcc/12"],
      }),
      config: { argv: ["python", "train.py", "--lr", "0.01"], cwd: "/work", parameters: { epochs: "3" }, script: "" },
      host: host({ hostname: "gpu-node-07" }),
    });
    const d = await diffRuns(a, b, blobs);
    assert.equal(d.identical, false);
    assert.deepEqual(d.packages.changed.map((c) => [c.name, c.direction, c.major]), [["pydantic", "upgrade", true]]);
    assert.deepEqual(d.interpreter, [{ field: "version", from: "3.11.7", to: "3.11.9" }]);
    assert.deepEqual(d.image.map((f) => f.field), ["digest"]);
    assert.deepEqual(d.config, [{ field: "argv", from: "python train.py --lr 0.1", to: "python train.py --lr 0.01" }]);
    assert.deepEqual(d.modules, { added: ["cuda/12.1"], removed: ["cuda/11.8"] });
    assert.deepEqual(d.host, [{ field: "hostname", from: "gpu-node-01", to: "gpu-node-07" }]);
    assert.equal(d.code, null, "neither run has code");
  });

  void it("a run without an environment snapshot shows everything as added", async () => {
    const d = await diffRuns(run("a", { environment: null }), run("b"), new MemoryBlobStore());
    assert.equal(d.packages.added.length, 3);
    assert.deepEqual(d.interpreter.find((f) => f.field === "version"), { field: "version", from: null, to: "3.11.7" });
  });
});

void describe("diffEnv", () => {
  void it("reports added, removed and changed variables", () => {
    const d = diffEnv(
      [{ name: "A", value: "1", redacted: false }, { name: "B", value: "x", redacted: false }],
      [{ name: "A", value: "2", redacted: false }, { name: "C", value: "y", redacted: false }],
    );
    assert.deepEqual(d, [
      { name: "A", from: "1", to: "2", redacted: false },
      { name: "B", from: "x", to: null, redacted: false },
      { name: "C", from: null, to: "y", redacted: false },
    ]);
  });

  void it("shows a changed secret as changed without its value or its marker", () => {
    const d = diffEnv(
      [{ name: "HF_TOKEN", value: "<redacted sha256:aaaa>", redacted: true }, { name: "SAME", value: "<redacted sha256:cccc>", redacted: true }],
      [
        { name: "HF_TOKEN", value: "<redacted sha256:bbbb>", redacted: true },
        { name: "SAME", value: "<redacted sha256:cccc>", redacted: true },
        { name: "NEW_SECRET", value: "<redacted sha256:dddd>", redacted: true },
        // redacted on one side only (allow-list changed): the plain value must not leak either
        { name: "API_KEY", value: "<redacted sha256:eeee>", redacted: true },
      ],
    );
    const withPlain = diffEnv([{ name: "API_KEY", value: "hunter2", redacted: false }], [{ name: "API_KEY", value: "<redacted sha256:eeee>", redacted: true }]);
    const text = JSON.stringify([d, withPlain]);
    for (const secret of ["aaaa", "bbbb", "cccc", "dddd", "eeee", "hunter2", "sha256"]) assert.ok(!text.includes(secret), `leaked ${secret}`);
    assert.deepEqual(d, [
      { name: "API_KEY", from: null, to: "<redacted>", redacted: true },
      { name: "HF_TOKEN", from: "<redacted>", to: "<redacted>", redacted: true },
      { name: "NEW_SECRET", from: null, to: "<redacted>", redacted: true },
    ]);
    assert.deepEqual(withPlain, [{ name: "API_KEY", from: "<redacted>", to: "<redacted>", redacted: true }]);
  });
});

void describe("diffConfig and diffModules", () => {
  void it("compares cwd and each parameter", () => {
    const d = diffConfig(
      { argv: ["python", "x.py"], cwd: "/a", parameters: { lr: "0.1", epochs: "3" }, script: "" },
      { argv: ["python", "x.py"], cwd: "/b", parameters: { lr: "0.01", batch: "64" }, script: "" },
    );
    assert.deepEqual(d, [
      { field: "cwd", from: "/a", to: "/b" },
      { field: "parameters.batch", from: null, to: "64" },
      { field: "parameters.epochs", from: "3", to: null },
      { field: "parameters.lr", from: "0.1", to: "0.01" },
    ]);
  });

  void it("quotes argv for a shell", () => {
    assert.equal(shellJoin(["python", "-c", "print('hi there')", "", "--x=1"]), `python -c 'print('\\''hi there'\\'')' '' --x=1`);
  });

  void it("lists modules added and removed", () => {
    assert.deepEqual(diffModules(["a", "b"], ["b", "c"]), { added: ["c"], removed: ["a"] });
  });
});

void describe("diffHost", () => {
  void it("summarises GPUs as a readable count", () => {
    assert.equal(summariseGpus(host().gpus), "2 x NVIDIA H100 80GB HBM3");
    const d = diffHost(host(), host({ gpus: [{ index: 0, model: "NVIDIA A100-SXM4-40GB", uuid: "x", memoryMib: 40960, driverVersion: "550.54.15" }] }));
    assert.deepEqual(d, [{ field: "gpus", from: "2 x NVIDIA H100 80GB HBM3", to: "1 x NVIDIA A100-SXM4-40GB" }]);
  });

  void it("ignores GPU uuids and formats memory", () => {
    const other = host();
    other.gpus = other.gpus.map((g) => ({ ...g, uuid: g.uuid + "-other" }));
    assert.deepEqual(diffHost(host(), other), []);
    assert.deepEqual(diffHost(host(), host({ memoryBytes: 512 * 1024 ** 3 })), [{ field: "memory", from: "1 TiB", to: "512 GiB" }]);
  });
});

void describe("diffCode", () => {
  const trainA = "import pydantic\n\ndef main():\n    lr = 0.1\n    run(lr)\n";
  const trainB = "import pydantic\n\ndef main():\n    lr = 0.01\n    run(lr)\n";
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02]);

  void it("lists files and gives unified patches from the archives; binary files are marked", async () => {
    const blobs = new MemoryBlobStore();
    const a = await codeSnapshot({ "train.py": trainA, "old.py": "gone\n", "logo.png": png, "same.txt": "s\n" }, blobs, { commit: "a".repeat(40) });
    const b = await codeSnapshot(
      { "train.py": trainB, "new/util.py": "def f():\n    return 1\n", "logo.png": Buffer.concat([png, png]), "same.txt": "s\n" },
      blobs,
      { commit: "b".repeat(40), dirty: true },
    );
    const d = await diffCode(a, b, blobs);
    assert.ok(d);
    assert.equal(d.commitFrom, "a".repeat(40));
    assert.equal(d.commitTo, "b".repeat(40));
    assert.equal(d.dirtyFrom, false);
    assert.equal(d.dirtyTo, true);
    assert.deepEqual(d.added, ["new/util.py"]);
    assert.deepEqual(d.removed, ["old.py"]);
    assert.deepEqual(d.modified, ["logo.png", "train.py"]);
    assert.equal(d.note, undefined);
    assert.deepEqual(d.patches.map((p) => [p.path, p.binary]), [["logo.png", true], ["new/util.py", false], ["old.py", false], ["train.py", false]]);

    const train = d.patches.find((p) => p.path === "train.py")!;
    assert.match(train.unified, /^--- a\/train\.py/);
    assert.match(train.unified, /\n\+\+\+ b\/train\.py/);
    assert.match(train.unified, /\n- {4}lr = 0\.1\n/);
    assert.match(train.unified, /\n\+ {4}lr = 0\.01\n/);
    assert.match(train.unified, /\n@@ -1,5 \+1,5 @@\n/);
    assert.equal(d.patches.find((p) => p.path === "logo.png")!.unified, "");
    assert.match(d.patches.find((p) => p.path === "new/util.py")!.unified, /^--- \/dev\/null\n\+\+\+ b\/new\/util\.py/);
    assert.match(d.patches.find((p) => p.path === "old.py")!.unified, /\n-gone\n/);
  });

  void it("leaves patches out with a note naming the archive that is not in the blob store", async () => {
    const blobs = new MemoryBlobStore();
    const a = await codeSnapshot({ "train.py": trainA }, blobs);
    const b = await codeSnapshot({ "train.py": trainB }, blobs, { storeArchive: false });
    const d = await diffCode(a, b, blobs);
    assert.deepEqual(d?.modified, ["train.py"]);
    assert.deepEqual(d?.patches, []);
    assert.ok(d?.note?.includes(b.archiveDigest), d?.note);
    assert.ok(d?.note?.includes("run B"), d?.note);
    assert.ok(!d?.note?.includes(a.archiveDigest), "archive A is available");
  });

  void it("notes an unreadable archive instead of failing", async () => {
    const blobs = new MemoryBlobStore();
    const a = await codeSnapshot({ "train.py": trainA }, blobs);
    const b = await codeSnapshot({ "train.py": trainB }, blobs);
    b.archiveDigest = await blobs.add(Buffer.from("this is not a tar archive, just some bytes".repeat(20)));
    const d = await diffCode(a, b, blobs);
    assert.deepEqual(d?.patches, []);
    assert.match(d?.note ?? "", /run B is not a readable tar archive/);
  });

  void it("caps the number and the size of patches", async () => {
    const blobs = new MemoryBlobStore();
    const many = (v: string) => Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.txt`, `${v}\n`.repeat(300)]));
    const a = await codeSnapshot(many("old line"), blobs);
    const b = await codeSnapshot(many("new line"), blobs);
    const d = await diffCode(a, b, blobs, { maxPatches: 3, maxPatchBytes: 4096, maxFileBytes: 1 << 20, maxArchiveBytes: 1 << 30, diffTimeoutMs: 60_000 });
    assert.equal(d?.modified.length, 5);
    assert.equal(d?.patches.length, 3);
    for (const p of d?.patches ?? []) assert.ok(Buffer.byteLength(p.unified) <= 4096 + 40, `patch of ${Buffer.byteLength(p.unified)} bytes`);
    assert.match(d?.note ?? "", /first 3 of 5 changed files/);
    assert.match(d?.note ?? "", /patch cut at 4 KiB/);
  });

  void it("reads archives whose files sit under one top-level folder, and gzip archives", async () => {
    const { gzipSync } = await import("node:zlib");
    const blobs = new MemoryBlobStore();
    const a = await codeSnapshot({ "train.py": trainA }, blobs);
    const b = await codeSnapshot({ "train.py": trainB }, blobs);
    a.archiveDigest = await blobs.add(await tarArchive({ "train.py": trainA }, "repo/"));
    b.archiveDigest = await blobs.add(gzipSync(await tarArchive({ "train.py": trainB }, "./")));
    const d = await diffCode(a, b, blobs);
    assert.equal(d?.note, undefined);
    assert.match(d?.patches[0]?.unified ?? "", /\+ {4}lr = 0\.01/);
  });

  void it("diffs a symlink by its target, as git does", async () => {
    const tar = await import("tar-stream");
    const withLink = async (target: string): Promise<Buffer> => {
      const pack = tar.pack();
      pack.entry({ name: "data", type: "symlink", linkname: target });
      pack.finalize();
      const chunks: Buffer[] = [];
      for await (const c of pack) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    };
    const blobs = new MemoryBlobStore();
    const a = await codeSnapshot({ data: "/mnt/v1" }, blobs);
    const b = await codeSnapshot({ data: "/mnt/v2" }, blobs);
    a.archiveDigest = await blobs.add(await withLink("/mnt/v1"));
    b.archiveDigest = await blobs.add(await withLink("/mnt/v2"));
    const d = await diffCode(a, b, blobs);
    assert.equal(d?.note, undefined);
    assert.match(d?.patches[0]?.unified ?? "", /\n-\/mnt\/v1\n[^]*\n\+\/mnt\/v2\n/);
  });

  void it("is null when neither run has code, and lists files without patches when one has", async () => {
    const blobs = new MemoryBlobStore();
    assert.equal(await diffCode(null, null, blobs), null);
    const b = await codeSnapshot({ "train.py": trainB }, blobs);
    const d = await diffCode(null, b, blobs);
    assert.deepEqual(d?.added, ["train.py"]);
    assert.equal(d?.commitFrom, null);
    assert.match(d?.note ?? "", /run A has no code snapshot/);
  });
});
