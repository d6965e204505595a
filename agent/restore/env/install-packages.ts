import type { Package } from "../../../core/model.js";
import type { InstallItem } from "./plan-install.js";
import type { InstallerName, RestoreEnvProgress } from "./rebuild-environment-types.js";
import { runInstaller } from "./run-installer.js";

export interface Installer {
  name: InstallerName;
  /** uv's executable, for "uv". */
  uv?: string;
}

export interface InstallPackagesRequest {
  installer: Installer;
  /** The venv's python. */
  python: string;
  items: readonly InstallItem[];
  /** What the fresh venv already holds (pip and setuptools from ensurepip; nothing with uv). */
  bootstrap: readonly Package[];
  env: NodeJS.ProcessEnv;
  /** Arguments every install call gets (uv's --no-config, --find-links...). */
  indexArgs?: readonly string[];
  cwd: string;
  timeoutMs: number;
  onProgress?: (p: RestoreEnvProgress) => void;
}

// pip names each requirement as it starts on it; uv lists what it installed at the end.
const PIP_STEP = /^\s*(Collecting|Processing|Obtaining|Requirement already satisfied:)\s+(\S+)/;
const UV_STEP = /^\s*\+\s+(\S+)/;

/**
 * Installs the recorded set into the venv with --no-deps: the recorded set is complete, so
 * nothing beyond it may come in. uv does it in one call. pip takes up to three: everything but
 * pip itself with the venv's own pip (a pip replacing itself mid-install is fragile); then pip at
 * its recorded version; then the bootstrap packages the snapshot does not have are removed (pip
 * last), so that the venv holds the recorded set and nothing else.
 */
export async function installPackages(req: InstallPackagesRequest): Promise<void> {
  const total = req.items.length;
  let done = 0;
  const onLine = (line: string): void => {
    const m = (req.installer.name === "uv" ? UV_STEP : PIP_STEP).exec(line);
    if (m) done = Math.min(total, done + 1);
    req.onProgress?.({ phase: "install", message: line.trim(), done, total });
  };
  const run = (file: string, args: string[], what: string): Promise<void> =>
    runInstaller(file, args, { env: req.env, cwd: req.cwd, timeoutMs: req.timeoutMs, onLine, what });

  if (req.installer.name === "uv") {
    if (total === 0) return;
    const uv = req.installer.uv ?? "uv";
    await run(uv, ["pip", "install", "--python", req.python, "--no-deps", ...(req.indexArgs ?? []), ...req.items.flatMap((i) => i.args)], "uv pip install");
    return;
  }

  const pipArgs = ["-m", "pip", "--disable-pip-version-check", "--no-input"];
  const indexArgs = req.indexArgs ?? [];
  const rest = req.items.filter((i) => i.name !== "pip");
  const pip = req.items.find((i) => i.name === "pip");
  if (rest.length > 0) await run(req.python, [...pipArgs, "install", "--no-deps", "--progress-bar", "off", ...indexArgs, ...rest.flatMap((i) => i.args)], "pip install");
  const bootstrapPip = req.bootstrap.find((p) => p.name === "pip");
  if (pip !== undefined && !(pip.args.length === 1 && pip.args[0] === `pip==${bootstrapPip?.version ?? ""}`)) {
    await run(req.python, [...pipArgs, "install", "--no-deps", "--progress-bar", "off", ...indexArgs, ...pip.args], "pip install (pip itself)");
  }
  const recorded = new Set(req.items.map((i) => i.name));
  const extras = req.bootstrap.map((p) => p.name).filter((n) => !recorded.has(n));
  // pip removes itself last, after everything it was asked to remove.
  extras.sort((a, b) => (a === "pip" ? 1 : b === "pip" ? -1 : a < b ? -1 : 1));
  if (extras.length > 0) await run(req.python, [...pipArgs, "uninstall", "-y", ...extras], "pip uninstall (what the venv came with, not in the snapshot)");
}
