import { closeSync, constants, openSync, readSync } from "node:fs";
import path from "node:path";
import { findOnPath, isExecutableFile } from "../capture/find-on-path.js";

export type PythonSource = "explicit" | "argv" | "shebang" | "VIRTUAL_ENV" | "CONDA_PREFIX" | "PATH";

export type ResolvedPython = { ok: true; path: string; source: PythonSource } | { ok: false; message: string };

export interface ResolvePythonOptions {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  python?: string;
}

const PYTHON_NAME = /^(?:python|pypy)(?:\d+(?:\.\d+)*)?[dmtu]?(?:-dbg)?$/;

/** "python", "python3", "python3.11", "pypy3", "python3.13t": a Python interpreter's file name. */
export function isPythonExecutableName(file: string): boolean {
  return PYTHON_NAME.test(path.basename(file));
}

export interface Shebang {
  interpreter: string;
  args: string[];
  /** The interpreter is looked up on PATH (`#!/usr/bin/env python3`). */
  viaEnv: boolean;
}

/**
 * The interpreter a script's first lines name: `#!/path/python -u`, `#!/usr/bin/env python3`,
 * `#!/usr/bin/env -S python3 -u`, and pip's `#!/bin/sh` + `'''exec' "/path/python" "$0" "$@"`
 * trampoline for interpreter paths too long for a shebang.
 */
export function parseShebang(head: string): Shebang | null {
  if (!head.startsWith("#!")) return null;
  const lines = head.split(/\r?\n/);
  const words = (lines[0] ?? "").slice(2).trim().split(/[ \t]+/).filter((w) => w !== "");
  const first = words[0];
  if (first === undefined) return null;
  if (path.basename(first) === "sh") {
    const tramp = /^'''exec' "?([^"]+?)"? "\$0" "\$@"/.exec(lines[1] ?? "");
    if (tramp?.[1]) return { interpreter: tramp[1], args: [], viaEnv: false };
  }
  if (path.basename(first) !== "env") return { interpreter: first, args: words.slice(1), viaEnv: false };
  // env [-S] [-i] [-u NAME] [NAME=VALUE ...] command [args]
  const rest = words.slice(1).flatMap((w) => (w.startsWith("-S") && w.length > 2 ? ["-S", w.slice(2)] : [w]));
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i] ?? "";
    if (w === "-u" || w === "--unset" || w === "-C" || w === "--chdir") {
      i++;
      continue;
    }
    if (w.startsWith("-") || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) continue;
    return { interpreter: w, args: rest.slice(i + 1), viaEnv: true };
  }
  return null;
}

/**
 * The command a launcher runs: `env [-i] [-u NAME] [NAME=VALUE...] cmd`, `nohup cmd`,
 * `time [-p] cmd`, `nice [-n N] cmd`, nested. Other commands are returned as they are: the
 * interpreter of `srun` or `mpirun` lines is found through the job's VIRTUAL_ENV or PATH.
 */
export function unwrapLaunchers(argv: readonly string[]): readonly string[] {
  let rest = argv;
  for (let depth = 0; depth < 8; depth++) {
    const name = path.basename(rest[0] ?? "");
    let i = 1;
    if (name === "env") {
      while (i < rest.length) {
        const w = rest[i] ?? "";
        if (w === "-u" || w === "--unset" || w === "-C" || w === "--chdir") i += 2;
        else if (w.startsWith("-") || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
        else break;
      }
    } else if (name === "nohup") {
      // nothing to skip
    } else if (name === "time") {
      while ((rest[i] ?? "").startsWith("-")) i++;
    } else if (name === "nice") {
      if (rest[i] === "-n" || rest[i] === "--adjustment") i += 2;
      else if (/^-/.test(rest[i] ?? "")) i++;
    } else {
      return rest;
    }
    if (i >= rest.length) return rest;
    rest = rest.slice(i);
  }
  return rest;
}

/** The first bytes of a file, enough for a shebang and pip's trampoline line. */
function readHead(file: string): string | null {
  let fd: number;
  try {
    // Synchronous, so a FIFO put in the file's place since it was found must not block the open.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(512);
    const bytesRead = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString("utf8");
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The interpreter the command will run under, in this order: an explicit `python`; argv[0] when
 * it is a Python executable; the Python named by argv[0]'s shebang when argv[0] is a script (a
 * path, or a name found on PATH, such as a console script like `torchrun`); VIRTUAL_ENV's and
 * then CONDA_PREFIX's bin/python; `python3`, then `python` on PATH.
 */
export function resolvePython(opts: ResolvePythonOptions): ResolvedPython {
  const pathVar = opts.env.PATH;
  if (opts.python !== undefined && opts.python !== "") {
    const found = findOnPath(opts.python, pathVar, opts.cwd);
    if (found) return { ok: true, path: found, source: "explicit" };
    return { ok: false, message: `python interpreter ${opts.python} not found` };
  }

  const argv0 = unwrapLaunchers(opts.argv)[0] ?? "";
  if (argv0 !== "" && isPythonExecutableName(argv0)) {
    const found = findOnPath(argv0, pathVar, opts.cwd);
    if (found) return { ok: true, path: found, source: "argv" };
    return { ok: false, message: `python interpreter ${argv0} (the command) not found${argv0.includes("/") ? "" : " on PATH"}` };
  }

  if (argv0 !== "") {
    const script = findOnPath(argv0, pathVar, opts.cwd);
    const head = script ? readHead(script) : null;
    const shebang = head ? parseShebang(head) : null;
    if (shebang && isPythonExecutableName(shebang.interpreter)) {
      if (shebang.viaEnv) {
        const found = findOnPath(shebang.interpreter, pathVar, opts.cwd);
        if (found) return { ok: true, path: found, source: "shebang" };
        return { ok: false, message: `python interpreter ${shebang.interpreter} (the shebang of ${script ?? argv0}) not found on PATH` };
      }
      const interpreter = path.resolve(opts.cwd, shebang.interpreter);
      if (isExecutableFile(interpreter)) return { ok: true, path: interpreter, source: "shebang" };
      return { ok: false, message: `python interpreter ${interpreter} (the shebang of ${script ?? argv0}) not found` };
    }
  }

  for (const [variable, source] of [
    ["VIRTUAL_ENV", "VIRTUAL_ENV"],
    ["CONDA_PREFIX", "CONDA_PREFIX"],
  ] as const) {
    const prefix = opts.env[variable];
    if (prefix) {
      const candidate = path.join(path.resolve(opts.cwd, prefix), "bin", "python");
      if (isExecutableFile(candidate)) return { ok: true, path: candidate, source };
    }
  }
  for (const name of ["python3", "python"]) {
    const found = findOnPath(name, pathVar, opts.cwd);
    if (found) return { ok: true, path: found, source: "PATH" };
  }
  return {
    ok: false,
    message: "no python interpreter found (the command is not python, and there is no VIRTUAL_ENV, CONDA_PREFIX, python3 or python on PATH)",
  };
}
