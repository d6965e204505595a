import path from "node:path";
import { runCommand } from "../capture/run-command.js";

export interface InterpreterProbe {
  implementation: string;
  version: string;
  executable: string;
  prefix: string;
  basePrefix: string;
  platform: string;
  /** sys.path as the job's own interpreter builds it (PYTHONPATH, site dirs, .pth files), absolute. */
  sysPath: string[];
  /**
   * The user site-packages folder (site.USER_SITE), "" when user site is off. Python puts it on
   * sys.path only once it exists, so the fingerprint cache watches it even when it is not there.
   */
  userSite: string;
}

const MARKER = "@@snaptrail-probe@@";

// Runs without -I on purpose: the job's sys.path depends on PYTHONPATH, the user site and .pth
// files, and those are what is read here. The "" entry that -c puts first is dropped before any
// import, so a json.py in the job's directory cannot shadow the standard library.
//
// The answer is JSON written with _json's encoder of one string (the C function json.dumps itself
// uses for each string, ensure_ascii on): importing the json package pulls in re and enum, about
// a quarter of this short process's time. Anything but plain strings, lists of them and None (a
// str subclass a sitecustomize put on sys.path), or a Python without _json, takes json.dumps.
export const PROBE_SCRIPT = [
  "import sys",
  "if sys.path and sys.path[0] == '': del sys.path[0]",
  "import site, sysconfig",
  "v = sys.version_info",
  "ver = '%d.%d.%d' % (v[0], v[1], v[2])",
  "if v[3] != 'final': ver += {'alpha': 'a', 'beta': 'b', 'candidate': 'rc'}.get(v[3], v[3]) + str(v[4])",
  "d = {'implementation': sys.implementation.name, 'version': ver, 'executable': sys.executable,",
  "     'prefix': sys.prefix, 'base_prefix': getattr(sys, 'base_prefix', sys.prefix),",
  "     'platform': sysconfig.get_platform(), 'path': sys.path,",
  "     'user_site': getattr(site, 'USER_SITE', None) if getattr(site, 'ENABLE_USER_SITE', False) else None}",
  "def answer():",
  "    try:",
  "        from _json import encode_basestring_ascii as q",
  "    except ImportError:",
  "        return None",
  "    out = []",
  "    for k, x in d.items():",
  "        if x is None: out.append(q(k) + ':null')",
  "        elif type(x) is str: out.append(q(k) + ':' + q(x))",
  "        elif type(x) is list and all(type(e) is str for e in x): out.append(q(k) + ':[' + ','.join(q(e) for e in x) + ']')",
  "        else: return None",
  "    return '{' + ','.join(out) + '}'",
  "a = answer()",
  "if a is None:",
  "    import json",
  "    a = json.dumps(d)",
  `sys.stdout.write('\\n${MARKER}' + a + '\\n')`,
].join("\n");

export type ProbeOutcome = { ok: true; probe: InterpreterProbe } | { ok: false; notFound: boolean; message: string };

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Parses the probe's output; anything a sitecustomize printed before the marker is ignored. */
export function parseProbeOutput(stdout: string, cwd: string): InterpreterProbe | null {
  const at = stdout.lastIndexOf(MARKER);
  if (at === -1) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(stdout.slice(at + MARKER.length).split("\n")[0] ?? "");
  } catch {
    return null;
  }
  if (typeof doc !== "object" || doc === null) return null;
  const d = doc as Record<string, unknown>;
  const sysPath = Array.isArray(d.path) ? d.path.filter((p): p is string => typeof p === "string") : [];
  return {
    implementation: str(d.implementation),
    version: str(d.version),
    executable: str(d.executable),
    prefix: str(d.prefix),
    basePrefix: str(d.base_prefix),
    platform: str(d.platform),
    // Relative entries (from a relative PYTHONPATH) are relative to the job's directory.
    sysPath: sysPath.map((p) => path.resolve(cwd, p === "" ? "." : p)),
    userSite: str(d.user_site),
  };
}

/**
 * Asks the interpreter, once, what it is and where it looks for packages. It runs with the
 * job's environment and directory, so it answers for the job.
 */
export async function probeInterpreter(python: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<ProbeOutcome> {
  const childEnv: NodeJS.ProcessEnv = { ...env };
  // Would leave the interpreter waiting at a prompt after the script.
  delete childEnv.PYTHONINSPECT;
  const out = await runCommand(python, ["-c", PROBE_SCRIPT], { cwd, env: childEnv, timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  if (!out.ok) {
    if (out.reason === "notFound") return { ok: false, notFound: true, message: `${python} not found or not executable` };
    if (out.reason === "timeout") return { ok: false, notFound: false, message: `${python} did not answer within ${timeoutMs} ms` };
    return { ok: false, notFound: false, message: `${python} failed: ${out.message}` };
  }
  const probe = parseProbeOutput(out.stdout.toString("utf8"), cwd);
  if (probe === null) return { ok: false, notFound: false, message: `${python} gave no answer to the probe` };
  return { ok: true, probe };
}
