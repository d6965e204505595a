import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderDiff, summaryLine } from "../../cli/render/render-diff.js";
import { renderRun } from "../../cli/render/render-run.js";
import { renderRunsTable } from "../../cli/render/render-runs-table.js";
import { alignRows, formatDuration, shortDigest } from "../../cli/render/format.js";
import { diffRuns } from "../../collector/diff/diff-runs.js";
import { codeSnapshot, environment, pkg, run } from "../helpers/diff-fixtures.js";
import { MemoryBlobStore } from "../helpers/memory-blob-store.js";

const ANSI = /\x1b\[/; // eslint-disable-line no-control-regex

const trainA = "import pydantic\n\ndef main():\n    lr = 0.1\n    run(lr)\n";
const trainB = "import pydantic\n\ndef main():\n    lr = 0.01\n    run(lr)\n";

/** The story: an image rebuild bumped pydantic 1.10.13 -> 2.7.1, and train.py changed. */
async function storyDiff() {
  const blobs = new MemoryBlobStore();
  const codeA = await codeSnapshot({ "train.py": trainA, "model.bin": Buffer.from([1, 0, 2]) }, blobs, { commit: "3f2a9c1d7e8b4a6f0c1d2e3f4a5b6c7d8e9f0a1b" });
  const codeB = await codeSnapshot({ "train.py": trainB, "model.bin": Buffer.from([1, 0, 3]), "util.py": "x = 1\n" }, blobs, { commit: "9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c" });
  const a = run("airflow:nightly/2024-05-01/train/1", { code: codeA });
  const b = run("airflow:nightly/2024-05-02/train/1", {
    status: "failed",
    exitCode: 1,
    code: codeB,
    environment: environment({
      packages: [pkg("numpy", "1.26.4"), pkg("pydantic", "2.7.1"), pkg("httpx", "0.27.0")],
      env: [
        { name: "CUDA_VISIBLE_DEVICES", value: "0,1", redacted: false },
        { name: "WANDB_API_KEY", value: "<redacted sha256:2222>", redacted: true },
      ],
    }),
  });
  return diffRuns(a, b, blobs);
}

void describe("renderDiff", () => {
  void it("leads with a summary and shows the pydantic upgrade as MAJOR", async () => {
    const d = await storyDiff();
    const text = renderDiff(d, { color: false });
    assert.ok(!ANSI.test(text), "no ANSI codes with color:false");
    const lines = text.split("\n");
    assert.ok(lines.includes("1 package changed (1 major), 1 package added, 1 package removed, 3 files changed, image unchanged, 1 env var changed"), text);
    const pydantic = lines.find((l) => l.includes("pydantic"));
    assert.ok(pydantic?.includes("pydantic  1.10.13 → 2.7.1"), pydantic);
    assert.match(pydantic ?? "", /upgrade\s+MAJOR$/);
    assert.ok(lines.includes("+ httpx               0.27.0  added"), text);
    assert.ok(lines.includes("- requests  2.31.0            removed"), text);
    assert.ok(lines.includes("  commit  3f2a9c1d7e8b → 9b8c7d6e5f4a"), text);
    for (const f of ["  M model.bin", "  M train.py", "  A util.py"]) assert.ok(lines.includes(f), f);
    assert.ok(lines.includes("Binary file model.bin differs"));
    assert.ok(lines.includes("-    lr = 0.1") && lines.includes("+    lr = 0.01"), "the patch is shown");
    assert.ok(lines.includes("  WANDB_API_KEY  (secret changed)"), text);
    assert.ok(!text.includes("2222") && !text.includes("1111"), "redaction markers are not shown");
    for (const omitted of ["Interpreter", "Image", "Host", "Config", "Modules", "OS"]) assert.ok(!lines.includes(omitted), `${omitted} has no changes`);
  });

  void it("colours when asked: MAJOR in bold red, added green, removed red", async () => {
    const text = renderDiff(await storyDiff(), { color: true });
    assert.ok(text.includes("\x1b[1m\x1b[31mMAJOR\x1b[39m\x1b[22m"));
    assert.ok(text.includes("\x1b[32mhttpx\x1b[39m"));
    assert.ok(text.includes("\x1b[31mrequests\x1b[39m"));
    assert.ok(text.includes("\x1b[32m+    lr = 0.01\x1b[39m"));
  });

  void it("says so when nothing differs", async () => {
    const d = await diffRuns(run("a"), run("b"), new MemoryBlobStore());
    const text = renderDiff(d, { color: false });
    assert.ok(text.endsWith("No differences: same code, environment and config.\n"), text);
    assert.ok(!text.includes("Packages"));
  });

  void it("puts long values on two lines and can leave patches out", async () => {
    const d = await storyDiff();
    d.image = [{ field: "digest", from: "sha256:" + "a".repeat(64), to: "sha256:" + "b".repeat(64) }];
    const text = renderDiff(d, { color: false, patches: false });
    assert.ok(text.includes(`Image\n  digest\n    - sha256:${"a".repeat(64)}\n    + sha256:${"b".repeat(64)}\n`), text);
    assert.ok(!text.includes("lr = 0.01"));
    assert.match(summaryLine(d), /image changed/);
  });

  void it("shows source-only changes and the code note", async () => {
    const d = await storyDiff();
    d.packages.changed.push({ name: "acme-lib", from: "0.3.0", to: "0.3.0", direction: "source", major: false, sourceFrom: "0123456789ab", sourceTo: "fedcba987654" });
    d.code!.note = "code archive sha256:ff of run B is not available in the blob store, so no patches";
    d.host = [{ field: "gpus", from: "2 x NVIDIA H100 80GB HBM3", to: "1 x NVIDIA H100 80GB HBM3" }];
    const text = renderDiff(d, { color: false });
    assert.match(text, /acme-lib\s+0\.3\.0\s+→ 0\.3\.0\s+source\s+0123456789ab → fedcba987654/);
    assert.ok(text.includes("  note: code archive sha256:ff of run B is not available"));
    assert.ok(text.includes("Host\n  gpus  2 x NVIDIA H100 80GB HBM3 → 1 x NVIDIA H100 80GB HBM3\n"), text);
    assert.match(summaryLine(d), /host differs \(gpus\)/);
  });
});

void describe("renderRunsTable", () => {
  const runs = [
    run("airflow:nightly/2024-05-01/train/1", { gitCommit: "3f2a9c1d7e8b4a6f0c1d2e3f4a5b6c7d8e9f0a1b" }),
    run("slurm:hpc/4242", { pipeline: "sim", step: "", status: "failed", exitCode: null, signal: "SIGKILL", durationMs: 850, environmentDigest: "sha256:ab12cd34ef56" }),
    run("kfp:r/t", { status: "running", exitCode: null, durationMs: null, finishedAt: null, environmentDigest: null }),
  ];

  void it("aligns every column under its header", () => {
    const text = renderRunsTable(runs, { color: false });
    assert.ok(!ANSI.test(text));
    const lines = text.trimEnd().split("\n");
    assert.equal(lines.length, 4);
    const header = lines[0] ?? "";
    for (const h of ["RUN", "PIPELINE/STEP", "STATUS", "STARTED", "DURATION", "EXIT", "ENV", "COMMIT"]) {
      const col = header.indexOf(h);
      assert.ok(col >= 0, h);
      for (const l of lines.slice(1)) {
        assert.notEqual(l[col], " ", `column ${h} starts at ${col} in ${JSON.stringify(l)}`);
        if (col > 0) assert.equal(l[col - 1], " ", `column ${h} is preceded by a space in ${JSON.stringify(l)}`);
      }
    }
    assert.match(lines[1] ?? "", /nightly_train\/train\s+succeeded\s+2024-05-01 02:00:00Z\s+41m05s\s+0\s+sha256:eeeeeeee\s+3f2a9c1d7e8b$/);
    assert.match(lines[2] ?? "", /sim\s+failed\s+.*850ms\s+SIGKILL\s+sha256:ab12cd34\s+-$/);
    assert.match(lines[3] ?? "", /running\s+.*\s-\s+-\s+-\s+-$/);
  });

  void it("colours statuses", () => {
    const text = renderRunsTable(runs, { color: true });
    assert.ok(text.includes("\x1b[32msucceeded\x1b[39m"));
    assert.ok(text.includes("\x1b[31mfailed\x1b[39m"));
    assert.ok(text.includes("\x1b[33mrunning\x1b[39m"));
  });

  void it("says when nothing matched", () => {
    assert.equal(renderRunsTable([], { color: false }), "No runs match.\n");
  });
});

void describe("renderRun", () => {
  void it("shows the run's sections and truncates the package list with a hint", async () => {
    const blobs = new MemoryBlobStore();
    const r = run("airflow:nightly/2024-05-01/train/1", {
      code: await codeSnapshot({ "train.py": trainA }, blobs, { dirty: true }),
      warnings: [{ source: "python", message: "pip not importable; packages read from dist-info" }],
    });
    const text = renderRun(r, { color: false, maxPackages: 2 });
    assert.ok(!ANSI.test(text));
    for (const s of ["Orchestrator", "Command", "Interpreter", "Packages (3)", "Image", "OS", "Host", "Code", "Env vars", "Warnings", "Digests"]) {
      assert.ok(text.split("\n").includes(s), `section ${s}\n${text}`);
    }
    assert.ok(text.includes("  python train.py --lr 0.1\n"));
    assert.ok(text.includes("  ... and 1 more (use --json for the full list)"));
    assert.match(text, /gpus\s+2 x NVIDIA H100 80GB HBM3 {2}\(driver 550\.54\.15, CUDA 12\.4\)/);
    assert.match(text, /WANDB_API_KEY\s+\(secret\)/);
    assert.ok(!text.includes("sha256:1111"), "redaction marker not shown");
    assert.match(text, /\[python\] pip not importable/);
    assert.match(text, /commit\s+1{40} \(main\) {2}dirty/);
    assert.ok(!text.includes("Outputs"), "no outputs section for a run without outputs");
  });

  void it("lists outputs (missing ones marked) and says when a run is a cache hit", () => {
    const key = `sha256:${"a".repeat(64)}`;
    const r = run("local:h/2", {
      cacheKey: key,
      cachedFrom: "local:h/1",
      outputs: [
        { path: "out/model.bin", digest: `sha256:${"b".repeat(64)}`, size: 3 * 1024 * 1024, mode: 0o644, stored: true },
        { path: "out/gone.bin", digest: "", size: 0, mode: 0, stored: false },
      ],
    });
    const text = renderRun(r, { color: false });
    assert.match(text, /\ncached from +local:h\/1 {2}\(outputs restored, command skipped\)\n/);
    assert.match(text, /\nOutputs \(2\)\n {2}out\/model\.bin +3 MiB +sha256:b{16} +stored\n {2}out\/gone\.bin +missing\n/);
    assert.match(text, new RegExp(`cache key +${key}`));
    const table = renderRunsTable([r, run("local:h/1")], { color: false });
    assert.match(table, /local:h\/2 +\S+ +succeeded \(cached\)/);
    assert.match(table, /local:h\/1 +\S+ +succeeded {2}/);
  });

  void it("shows a step run's job run, and a job run's step runs", () => {
    const step = renderRun(run("slurm:c/12.0", { parentRunId: "slurm:c/12" }), { color: false });
    assert.match(step, /\npart of +slurm:c\/12\n/);
    assert.ok(!step.includes("Runs beneath"), step);
    const job = renderRun(run("slurm:c/12", { children: ["slurm:c/12.1", "slurm:c/12.0"] }), { color: false });
    assert.match(job, /\nRuns beneath \(2\)\n {2}slurm:c\/12\.1\n {2}slurm:c\/12\.0\n/);
    assert.ok(!job.includes("part of"), job);
  });
});

void describe("format helpers", () => {
  void it("formats durations and digests", () => {
    assert.deepEqual([0, 850, 12_340, 2_465_000, 7_380_000].map(formatDuration), ["0ms", "850ms", "12.3s", "41m05s", "2h03m"]);
    assert.equal(formatDuration(null), "-");
    assert.equal(shortDigest("sha256:ab12cd34ef56ab12"), "sha256:ab12cd34");
    assert.equal(shortDigest(null), "-");
  });

  void it("aligns rows by plain text even when cells are coloured", () => {
    const red = (s: string) => `<${s}>`;
    assert.deepEqual(alignRows([[{ text: "a", paint: red }, "x"], ["long", "y"]], "  "), ["  <a>     x", "  long  y"]);
  });
});
