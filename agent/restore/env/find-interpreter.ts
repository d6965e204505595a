import { realpath } from "node:fs/promises";
import path from "node:path";
import { PythonNotFoundError } from "../../../core/errors.js";
import { findOnPath, isExecutableFile } from "../../capture/find-on-path.js";
import { runCommand } from "../../capture/run-command.js";
import { interpreterCandidates, type InterpreterCandidate } from "./interpreter-candidates.js";

export interface FoundInterpreter {
  /** sys.executable of the interpreter found: the real one behind a pyenv shim. */
  path: string;
  implementation: string;
  version: string;
  where: string;
}

// -I: PYTHONPATH, PYTHONHOME and the user site say nothing about which interpreter this is. The
// version is written as the capture writes it (probe-interpreter.ts), so the two compare.
const PROBE = [
  "import json, sys",
  "v = sys.version_info",
  "ver = '%d.%d.%d' % (v[0], v[1], v[2])",
  "if v[3] != 'final': ver += {'alpha': 'a', 'beta': 'b', 'candidate': 'rc'}.get(v[3], v[3]) + str(v[4])",
  // Inside a venv, the interpreter it was made from: a venv made from another venv's python
  // would break when that venv goes.
  "exe = sys.executable if sys.prefix == sys.base_prefix else getattr(sys, '_base_executable', sys.executable)",
  "print(json.dumps({'implementation': sys.implementation.name, 'version': ver, 'executable': exe}))",
].join("\n");

async function probe(candidate: InterpreterCandidate, env: NodeJS.ProcessEnv): Promise<FoundInterpreter | null> {
  if (!isExecutableFile(candidate.path)) return null;
  const out = await runCommand(candidate.path, ["-I", "-c", PROBE], { env, timeoutMs: 15_000, maxBuffer: 1 << 20 });
  if (!out.ok) return null;
  try {
    const lines = out.stdout.toString("utf8").trim().split("\n");
    const d = JSON.parse(lines[lines.length - 1] ?? "") as { implementation?: unknown; version?: unknown; executable?: unknown };
    if (typeof d.implementation !== "string" || typeof d.version !== "string") return null;
    const executable = typeof d.executable === "string" && d.executable !== "" ? d.executable : candidate.path;
    return { path: executable, implementation: d.implementation, version: d.version, where: candidate.where };
  } catch {
    return null;
  }
}

export interface FindInterpreterRequest {
  implementation: string;
  version: string;
  /** An interpreter the caller named: it alone is tried. */
  python?: string;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * An interpreter of exactly the recorded implementation and version (3.11.2 is not 3.11.7): the
 * one named, else the first that answers among interpreterCandidates. When none fits, throws
 * PYTHON_NOT_FOUND naming what is missing and every interpreter found (path and version).
 */
export async function findInterpreter(req: FindInterpreterRequest): Promise<FoundInterpreter> {
  const wanted = `${req.implementation || "cpython"} ${req.version}`;
  if (req.version === "") throw new PythonNotFoundError("the snapshot records no interpreter version, so there is nothing to rebuild the environment with");
  const fits = (f: FoundInterpreter): boolean => f.version === req.version && f.implementation === (req.implementation || "cpython");

  if (req.python !== undefined && req.python !== "") {
    const cwd = req.cwd ?? process.cwd();
    const file = findOnPath(req.python, req.env.PATH, cwd) ?? path.resolve(cwd, req.python);
    const found = await probe({ path: file, where: "--python" }, req.env);
    if (found !== null && fits(found)) return found;
    const what = found === null ? "is not a Python interpreter that runs" : `is ${found.implementation} ${found.version}`;
    throw new PythonNotFoundError(`the snapshot needs ${wanted}, but ${file} (named with --python) ${what}`);
  }

  const candidates = await interpreterCandidates(req.implementation, req.version, req.env);
  // Every interpreter that answered, by real path, for the message when none fits.
  const listed = new Map<string, FoundInterpreter>();
  const probed = new Set<string>();
  // pyenv's shims are scripts that start pyenv to pick a version (a few hundred ms each); the
  // versions they pick from are candidates of their own, so the shims are tried last.
  const shim = (c: InterpreterCandidate): boolean => c.path.includes("/shims/");
  for (const c of [...candidates.filter((x) => !shim(x)), ...candidates.filter(shim)]) {
    // python3 -> python3.11 in one folder is one interpreter: probed once.
    const real = await realpath(c.path).catch(() => null);
    if (real === null || probed.has(real)) continue;
    probed.add(real);
    const found = await probe(c, req.env);
    if (found === null) continue;
    if (fits(found)) return found;
    const answered = await realpath(found.path).catch(() => found.path);
    if (!listed.has(answered)) listed.set(answered, found);
  }
  const lines = [...listed.values()].map((f) => `  ${f.path} (${f.implementation} ${f.version}, ${f.where})`);
  throw new PythonNotFoundError(`no ${wanted} interpreter found (looked on PATH, in /usr/bin, /usr/local/bin, pyenv, uv's pythons and conda); ` +
      (lines.length === 0 ? "no Python interpreter found at all" : `found:\n${lines.join("\n")}`) +
      `\ninstall ${wanted} (for example with pyenv or uv) or name one with --python`,
  );
}
