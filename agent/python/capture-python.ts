import { stat } from "node:fs/promises";
import type { CaptureWarning, Interpreter, Package } from "../../core/model.js";
import { interpreterKind } from "./interpreter-kind.js";
import { probeInterpreter } from "./probe-interpreter.js";
import { resolvePython, type ResolvePythonOptions } from "./resolve-python.js";
import { scanDistributions } from "./scan-distributions.js";

export interface PythonCapture {
  interpreter: Interpreter;
  packages: Package[];
  warnings: CaptureWarning[];
}

export function emptyInterpreter(): Interpreter {
  return { implementation: "", version: "", executable: "", prefix: "", basePrefix: "", platform: "", kind: "" };
}

/**
 * The interpreter the command will use and the distributions it can import. One short Python
 * process answers what the interpreter is and where it looks; the packages are then read from
 * their metadata files. Problems come back as warnings, with an empty interpreter when there is
 * no usable one.
 */
export async function capturePython(opts: ResolvePythonOptions): Promise<PythonCapture> {
  const resolved = await resolvePython(opts);
  if (!resolved.ok) {
    return { interpreter: emptyInterpreter(), packages: [], warnings: [{ source: "python", message: resolved.message }] };
  }
  const probed = await probeInterpreter(resolved.path, opts.cwd, opts.env);
  if (!probed.ok) {
    let message = `python interpreter not captured: ${probed.message}`;
    if (probed.notFound && !(await stat(opts.cwd).then((s) => s.isDirectory(), () => false))) {
      message = `python interpreter not captured: the directory ${opts.cwd} does not exist`;
    }
    return { interpreter: emptyInterpreter(), packages: [], warnings: [{ source: "python", message }] };
  }
  const p = probed.probe;
  const executable = p.executable !== "" ? p.executable : resolved.path;
  const [kind, scan] = await Promise.all([interpreterKind(p.prefix, executable, p.basePrefix), scanDistributions(p.sysPath)]);
  return {
    interpreter: {
      implementation: p.implementation,
      version: p.version,
      executable,
      prefix: p.prefix,
      basePrefix: p.basePrefix,
      platform: p.platform,
      kind,
    },
    packages: scan.packages,
    warnings: scan.warnings,
  };
}
