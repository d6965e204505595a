import { realpathSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { CaptureWarning, Interpreter, Package, PackageIndexes } from "../../core/model.js";
import { cacheKey, cwdMatters, FingerprintCache, takeStamps } from "../capture/fingerprint-cache.js";
import { indexKeyPart, readPackageIndexes } from "./indexes/read-package-indexes.js";
import { interpreterKind } from "./interpreter-kind.js";
import { probeInterpreter, type InterpreterProbe } from "./probe-interpreter.js";
import { condaOnlyPackages, condaRecordsByMetadata, readCondaMeta } from "./read-conda-meta.js";
import { resolvePython, type ResolvePythonOptions } from "./resolve-python.js";
import { scanDistributionsSync } from "./scan-distributions.js";

export interface PythonCapture {
  interpreter: Interpreter;
  packages: Package[];
  /** The pip and uv index settings the packages were installed with (credentials stripped). */
  indexes: PackageIndexes | null;
  warnings: CaptureWarning[];
  /** "hit": answered from the fingerprint cache; "miss": read now (and stored); "off": no cache. */
  cache?: "hit" | "miss" | "off";
}

export interface CapturePythonOptions extends ResolvePythonOptions {
  /** The fingerprint cache folder; "" or undefined: no cache. */
  cacheDir?: string;
}

export function emptyInterpreter(): Interpreter {
  return { implementation: "", version: "", executable: "", prefix: "", basePrefix: "", platform: "", kind: "" };
}

function realpathOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Every path whose change can change the fingerprint: the sys.path entries (a package install
 * adds a folder to one of them), the user site folder even before it exists, the environment's
 * conda-meta and pyvenv.cfg, and the interpreter itself.
 */
function watchedPaths(resolved: string, p: InterpreterProbe): string[] {
  const out = [...p.sysPath, p.userSite, resolved, realpathOr(p.executable)];
  if (p.prefix !== "") out.push(path.join(p.prefix, "conda-meta"), path.join(p.prefix, "pyvenv.cfg"));
  return out;
}

/** The distributions on sys.path, and for a conda environment its non-Python conda packages. */
function readPackages(p: InterpreterProbe): { packages: Package[]; warnings: CaptureWarning[] } {
  const conda = p.prefix === "" ? null : readCondaMeta(p.prefix);
  const scan = scanDistributionsSync(p.sysPath, { conda: conda ? condaRecordsByMetadata(conda) : undefined });
  if (conda === null) return scan;
  const packages = [...scan.packages, ...condaOnlyPackages(conda)];
  // Stable, so that a shadowed copy stays after the copy that wins.
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { packages, warnings: [...scan.warnings, ...conda.warnings] };
}

/**
 * The interpreter the command will use and the distributions it can import. One short Python
 * process answers what the interpreter is and where it looks; the packages are then read from
 * their metadata files (and from conda-meta in a conda environment). With a cache folder, the
 * answer is reused while nothing it was read from has changed. Problems come back as warnings,
 * with an empty interpreter when there is no usable one.
 */
export async function capturePython(opts: CapturePythonOptions): Promise<PythonCapture> {
  const cache = new FingerprintCache(opts.cacheDir ?? "");
  // With a cache folder a hit is the common case: then this part is a few ms of this thread, and the
  // code capture's git processes are the longest part, so the caller starts them first (the yield).
  // Without one, the probe is always needed, and Python's start and the package scan after it are the
  // longest part: everything up to the probe's spawn is synchronous, so that it starts before the git
  // processes (captureSnapshot calls this part first).
  if (cache.enabled) await Promise.resolve();
  const resolved = resolvePython(opts);
  if (!resolved.ok) {
    return { interpreter: emptyInterpreter(), packages: [], indexes: null, warnings: [{ source: "python", message: resolved.message }] };
  }
  const key = cache.enabled
    ? cacheKey({ interpreter: resolved.path, env: opts.env, cwd: cwdMatters(resolved.path, opts.env) ? opts.cwd : "", extra: indexKeyPart(opts.cwd) })
    : "";
  if (cache.enabled) {
    const hit = cache.get<PythonCapture>(key);
    if (hit !== null && Array.isArray(hit.packages) && Array.isArray(hit.warnings) && hit.interpreter && hit.indexes !== undefined) return { ...hit, cache: "hit" };
  }

  const probed = await probeInterpreter(resolved.path, opts.cwd, opts.env);
  if (!probed.ok) {
    let message = `python interpreter not captured: ${probed.message}`;
    if (probed.notFound && !(await stat(opts.cwd).then((s) => s.isDirectory(), () => false))) {
      message = `python interpreter not captured: the directory ${opts.cwd} does not exist`;
    }
    return { interpreter: emptyInterpreter(), packages: [], indexes: null, warnings: [{ source: "python", message }] };
  }
  const p = probed.probe;
  // Taken before the folders are read, so that a change during the scan leaves a stale stamp.
  const indexes = readPackageIndexes({ env: opts.env, prefix: p.prefix, cwd: opts.cwd });
  const stamps = cache.enabled ? takeStamps([...watchedPaths(resolved.path, p), ...indexes.files]) : {};
  const executable = p.executable !== "" ? p.executable : resolved.path;
  const kind = await interpreterKind(p.prefix, executable, p.basePrefix, opts.env);
  let read: { packages: Package[]; warnings: CaptureWarning[] };
  try {
    read = readPackages(p);
  } catch (err) {
    read = { packages: [], warnings: [{ source: "python", message: `package scan failed: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  const result: PythonCapture = {
    interpreter: {
      implementation: p.implementation,
      version: p.version,
      executable,
      prefix: p.prefix,
      basePrefix: p.basePrefix,
      platform: p.platform,
      kind,
    },
    packages: read.packages,
    indexes: indexes.indexes,
    warnings: [...read.warnings, ...indexes.warnings],
  };
  if (cache.enabled) cache.set(key, stamps, result);
  return { ...result, cache: cache.enabled ? "miss" : "off" };
}
