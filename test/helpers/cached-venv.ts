// A Python venv from a pinned requirements file, built once and kept under a cache folder keyed by
// the file's hash (change a line and the next run builds a new one). A machine without python3 or
// the package index fails the tests that need it, never skips them.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { createVenv, pipInstall } from "./python-env.js";

/** Where the venvs are kept between runs: SNAPTRAIL_TEST_CACHE_DIR, else ~/.cache/snaptrail-test. */
export function testCacheDir(): string {
  return process.env.SNAPTRAIL_TEST_CACHE_DIR ?? path.join(homedir(), ".cache", "snaptrail-test");
}

/**
 * The venv's folder for `requirements` (installed with `pip install --no-deps -r`: every package
 * the venv needs is pinned in the file), built if missing. It is built beside its final place and
 * renamed into it, so an interrupted build is never taken for a finished one. Run its tools as
 * `bin/python -m NAME` (or binaries by path): console scripts' shebangs name the build folder.
 */
export async function cachedVenv(name: string, requirements: string): Promise<string> {
  const key = createHash("sha256").update(readFileSync(requirements)).digest("hex").slice(0, 16);
  const venv = path.join(testCacheDir(), "venvs", `${name}-${key}`);
  if (existsSync(path.join(venv, "complete"))) return venv;
  mkdirSync(path.dirname(venv), { recursive: true });
  const building = `${venv}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const python = await createVenv(building, []);
  await pipInstall(python, ["--no-deps", "-r", requirements]);
  writeFileSync(path.join(building, "complete"), "");
  rmSync(venv, { recursive: true, force: true });
  renameSync(building, venv);
  return venv;
}
