import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { writePrivateFile } from "./write-private-file.js";

/**
 * The sitecustomize.py the batch step's task prolog puts on PYTHONPATH (XALT's way): the task
 * prolog runs before the batch script activates its venv or conda env, so only Python itself can
 * say which interpreter the job really runs. The first Python process of the job (any later one
 * returns after one failed O_EXCL open: microseconds) starts `snaptrail slurm python-seen` in the
 * background, detached, output to a log, and goes on at once; every error is swallowed, so it
 * never slows or breaks Python. Then it runs the sitecustomize it shadows (Debian's, a venv's),
 * so the site's own stays in effect. `python -S` and `-I` skip it: such a job records no Python.
 */
export function sitecustomizeSource(agentArgv: readonly string[]): string {
  // JSON string literals are valid Python string literals.
  const argv = `[${agentArgv.map((a) => JSON.stringify(a)).join(", ")}]`;
  return `# Written by snaptrail's Slurm task prolog: reports the Python this job runs, once per job.
# See deploy/slurm/README.md. Safe to delete; it is written again by the next job.
def _snaptrail_report():
    import os
    state = os.environ.get("SNAPTRAIL_SLURM_STATE")
    if not state:
        return
    try:
        fd = os.open(state + ".python", os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return
    os.close(fd)
    import subprocess
    import sys
    if not sys.executable:
        return
    argv = ${argv} + ["slurm", "python-seen", "--state", state, "--python", sys.executable]
    with open(os.devnull, "rb") as devnull, open(state + ".log", "ab") as log:
        subprocess.Popen(argv, stdin=devnull, stdout=log, stderr=log, start_new_session=True, close_fds=True)


def _snaptrail_chain():
    import importlib.machinery
    import importlib.util
    import os
    import sys
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


try:
    _snaptrail_report()
except Exception:
    pass
try:
    _snaptrail_chain()
except Exception:
    pass
`;
}

/** Writes `<userDir>/python/sitecustomize.py` when it is missing or differs; returns the folder. */
export function ensureSitecustomize(userDir: string, agentArgv: readonly string[]): string {
  const dir = path.join(userDir, "python");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, "sitecustomize.py");
  const source = sitecustomizeSource(agentArgv);
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // missing: written below
  }
  if (current !== source) writePrivateFile(file, source);
  return dir;
}

/** PYTHONPATH without snaptrail's folder (what the job itself set), or undefined when nothing is left. */
export function pythonPathWithout(value: string | undefined, dir: string): string | undefined {
  if (value === undefined) return undefined;
  const rest = value.split(":").filter((p) => p !== "" && path.resolve(p) !== path.resolve(dir));
  return rest.length > 0 ? rest.join(":") : undefined;
}
