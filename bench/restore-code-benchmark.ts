// The code half of issue 6's restore benchmark: time to restore a 10,000-file code archive (the
// archive the agent builds, from a generated work tree of source-like files), from the bytes in
// memory to a verified folder: digest check, safe extraction into a sibling folder, per-file
// sha256 and mode verification, rename into place. Medians after one warm-up. Standalone:
// `node dist/bench/restore-code-benchmark.js`; prints Markdown for docs/benchmarks.md.
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { buildCodeArchive, comparePaths } from "../agent/code/build-code-archive.js";
import { readWorkTreeFiles, statWorkTreeFiles } from "../agent/code/read-work-tree-files.js";
import { restoreCode } from "../agent/restore/code/restore-code.js";
import { verifyCodeFiles } from "../agent/restore/code/verify-code-files.js";
import type { CodeSnapshot } from "../core/model.js";
import { sha256Digest } from "../core/digest.js";
import { formatBytes } from "../core/format-bytes.js";
import { fmtMs, median, percentile } from "./stats.js";

const FILES = Number(process.env.BENCH_RESTORE_FILES ?? 10_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 9);
/** Where to restore: the default temp folder, or BENCH_DIR (a tmpfs such as /dev/shm takes the disk out of the figure). */
const BASE = process.env.BENCH_DIR ?? tmpdir();
const run = promisify(execFile);

/** A work tree of FILES files in 100 folders, 200 B to 8 KiB each (a source repository's spread), some executable, some symlinks. */
function makeWorkTree(dir: string): string[] {
  const paths: string[] = [];
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < FILES; i++) {
    const rel = `pkg${i % 100}/sub${i % 7}/module_${i}.py`;
    mkdirSync(join(dir, `pkg${i % 100}/sub${i % 7}`), { recursive: true });
    if (i % 500 === 499) {
      symlinkSync(`module_${i - 1}.py`, join(dir, rel));
    } else {
      const size = 200 + Math.floor(rand() * 8 * 1024);
      writeFileSync(join(dir, rel), `# module ${i}\n` + "x = 1  # padding\n".repeat(Math.ceil(size / 17)).slice(0, size));
      if (i % 50 === 0) chmodSync(join(dir, rel), 0o755);
    }
    paths.push(rel);
  }
  return paths.sort(comparePaths);
}

async function timed(fn: () => Promise<unknown>, reset: () => void): Promise<number[]> {
  await fn(); // warm-up: module graph and page cache, as on a job host that ran before
  reset();
  const out: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
    reset();
  }
  return out;
}

export async function runRestoreCodeBenchmark(): Promise<void> {
  const work = mkdtempSync(join(BASE, "snaptrail-bench-restore-"));
  try {
    const tree = join(work, "tree");
    mkdirSync(tree);
    const paths = makeWorkTree(tree);
    const read = readWorkTreeFiles(tree, statWorkTreeFiles(tree, paths).stats, true);
    const archive = await buildCodeArchive(read.files);
    const code: CodeSnapshot = {
      root: tree,
      git: null,
      files: read.files.map((f) => f.entry),
      archiveDigest: sha256Digest(archive),
      archiveBytes: archive.length,
      leftOut: [],
    };
    const into = join(work, "restored");
    const reset = () => rmSync(into, { recursive: true, force: true });

    const restore = await timed(async () => {
      const r = await restoreCode({ code, into, archive: () => Promise.resolve(archive), method: "archive" });
      if (r.verified !== code.files.length) throw new Error(`verified ${r.verified} of ${code.files.length}`);
    }, reset);
    // Verification alone, on a restored tree, to show how the time splits.
    await restoreCode({ code, into, archive: () => Promise.resolve(archive), method: "archive" });
    const verify = await timed(() => Promise.resolve(verifyCodeFiles(into, code.files)), () => undefined);
    reset();

    // Baselines on the same files: GNU tar with none of the checks, and plain writes (the floor).
    const tarFile = join(work, "code.tar");
    writeFileSync(tarFile, archive);
    const gnuTar = await timed(async () => {
      mkdirSync(into);
      await run("tar", ["-xf", tarFile, "-C", into]);
    }, reset);
    const plain = await timed(() => {
      for (const f of read.files) {
        const abs = join(into, f.entry.path);
        mkdirSync(dirname(abs), { recursive: true });
        if (f.type === "symlink") symlinkSync(f.linkTarget, abs);
        else writeFileSync(abs, f.content ?? Buffer.alloc(0), { mode: f.entry.mode });
      }
      return Promise.resolve();
    }, reset);

    const total = code.files.reduce((n, f) => n + f.size, 0);
    const row = (what: string, ms: number[]) => `| ${what} | ${fmtMs(median(ms))} | ${fmtMs(percentile(ms, 90))} | ${fmtMs(Math.min(...ms))} |`;
    const lines = [
      `### Code restore: ${FILES.toLocaleString("en-US")}-file archive`,
      "",
      `Archive of ${code.files.length.toLocaleString("en-US")} entries (${formatBytes(total)} of files, ${formatBytes(archive.length)} of tar), restored with \`restoreCode\` (method archive) into a new folder: digest check, checked extraction into a sibling folder, sha256 and mode of every file verified, rename into place. Median of ${REPEATS} runs after one warm-up.`,
      "",
      "| step | median | p90 | min |",
      "|---|---|---|---|",
      row("restore (all of it)", restore),
      row("of which: verification alone", verify),
      row("baseline: `tar -xf` (no checks, no verification)", gnuTar),
      row("baseline: plain writeFileSync of each file", plain),
      "",
      `Folder: ${BASE}. Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}; ${new Date().toISOString().slice(0, 10)}.`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await runRestoreCodeBenchmark();
}
