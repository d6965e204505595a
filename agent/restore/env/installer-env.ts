// Variables that would send an install somewhere other than the venv, or mix other folders into
// what the venv's python imports. The job itself still runs with its own environment.
const MOVES_INSTALLS = [
  "PYTHONPATH",
  "PYTHONHOME",
  "PYTHONUSERBASE",
  "PYTHONSTARTUP",
  "PYTHONINSPECT",
  "PIP_USER",
  "PIP_TARGET",
  "PIP_PREFIX",
  "PIP_ROOT",
  "PIP_PYTHON",
  "UV_SYSTEM_PYTHON",
  "UV_PYTHON",
  "VIRTUAL_ENV",
  "CONDA_PREFIX",
] as const;

/** The caller's environment for installing into and fingerprinting a venv of the cache. */
export function installerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, PIP_DISABLE_PIP_VERSION_CHECK: "1", PIP_NO_INPUT: "1", PYTHONNOUSERSITE: "1" };
  for (const name of MOVES_INSTALLS) delete out[name];
  return out;
}
