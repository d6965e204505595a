import os from "node:os";
import type { CaptureWarning, PackageIndexes } from "../../../core/model.js";
import { strippedSettings } from "./index-settings.js";
import { readPipIndexSettings } from "./pip-index-settings.js";
import { readUvIndexSettings, uvProjectConfig } from "./uv-index-settings.js";

export interface PackageIndexesRead {
  indexes: PackageIndexes;
  /** Every configuration file read or looked for, for the fingerprint cache's stamps. */
  files: string[];
  warnings: CaptureWarning[];
}

export interface IndexPlace {
  env: NodeJS.ProcessEnv;
  /** The environment's sys.prefix ("" when unknown). */
  prefix: string;
  cwd: string;
}

export function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME !== undefined && env.HOME !== "" ? env.HOME : os.homedir();
}

/** Variables that change what pip or uv would read as index settings: part of the fingerprint cache key. */
export const INDEX_KEY_VARIABLES = [
  "PIP_INDEX_URL",
  "PIP_EXTRA_INDEX_URL",
  "PIP_FIND_LINKS",
  "PIP_NO_INDEX",
  "PIP_CONFIG_FILE",
  "UV_INDEX",
  "UV_INDEX_URL",
  "UV_DEFAULT_INDEX",
  "UV_EXTRA_INDEX_URL",
  "UV_FIND_LINKS",
  "UV_NO_INDEX",
  "UV_CONFIG_FILE",
  "UV_NO_CONFIG",
  "XDG_CONFIG_HOME",
  "XDG_CONFIG_DIRS",
] as const;

/** What besides the variables decides which files are read: the uv project file found from the job's folder. */
export function indexKeyPart(cwd: string): string {
  return `uv-project ${uvProjectConfig(cwd) ?? ""}`;
}

/**
 * The index configuration pip and uv would install this environment's packages with, read from
 * their files and variables (no network, no installer run), every URL without its credentials.
 */
export function readPackageIndexes(place: IndexPlace): PackageIndexesRead {
  const home = homeOf(place.env);
  const pip = readPipIndexSettings({ env: place.env, prefix: place.prefix, home });
  const uv = readUvIndexSettings({ env: place.env, cwd: place.cwd, home });
  return {
    indexes: { pip: strippedSettings(pip.settings), uv: strippedSettings(uv.settings) },
    files: [...pip.files, ...uv.files],
    warnings: [...pip.warnings, ...uv.warnings],
  };
}
