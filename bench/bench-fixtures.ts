import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = join(ROOT, "bench/.cache");

/**
 * A venv with `requirements` (a file under bench/) pip-installed, kept in bench/.cache/<name>
 * across runs: building one takes minutes, and the benchmarks only read it.
 */
export async function cachedVenv(name: string, requirements: string, what: string): Promise<{ dir: string; python: string }> {
  const dir = join(CACHE, name);
  const python = join(dir, "bin", "python");
  if (!existsSync(join(dir, ".complete"))) {
    process.stderr.write(`bench: creating ${what} (first run only)...\n`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(CACHE, { recursive: true });
    await run("python3", ["-m", "venv", dir]);
    await run(join(dir, "bin", "pip"), ["install", "-q", "--disable-pip-version-check", "-r", join(ROOT, "bench", requirements)], { maxBuffer: 64 << 20 });
    await writeFile(join(dir, ".complete"), "");
  }
  return { dir, python };
}

/** The 113-distribution venv of bench/requirements-bench.txt that several benchmarks fingerprint. */
export function benchVenv(): Promise<{ dir: string; python: string }> {
  return cachedVenv("venv-bench", "requirements-bench.txt", "the benchmark venv of bench/requirements-bench.txt");
}

/** A git repository of 50 small modules in one commit, at `dir` (a new temp folder when omitted). */
export async function benchRepo(dir?: string): Promise<string> {
  const repo = dir ?? (await mkdtemp(join(tmpdir(), "snaptrail-bench-repo-")));
  await run("git", ["init", "-q", repo]);
  for (let i = 0; i < 50; i++) await writeFile(join(repo, `module_${i}.py`), `# module ${i}\n${"x = 1\n".repeat(200)}`);
  await run("git", ["-C", repo, "add", "-A"]);
  await run("git", ["-C", repo, "-c", "user.name=b", "-c", "user.email=b@b.invalid", "commit", "-qm", "bench"]);
  return repo;
}
