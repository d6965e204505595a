import { ConfigError } from "../../../core/errors.js";
import { findOnPath } from "../../capture/find-on-path.js";
import type { Installer } from "./install-packages.js";

/** auto: uv when it is on PATH, else pip. "uv" must be on PATH. */
export function chooseInstaller(wanted: "auto" | "uv" | "pip", env: NodeJS.ProcessEnv, cwd: string): Installer {
  if (wanted === "pip") return { name: "pip" };
  const uv = findOnPath("uv", env.PATH, cwd);
  if (uv !== null) return { name: "uv", uv };
  if (wanted === "uv") throw new ConfigError("installer uv was asked for, but there is no uv on PATH (install it, or use the installer pip or auto)");
  return { name: "pip" };
}
