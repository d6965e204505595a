import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { errorMessage } from "../../../core/errors.js";
import type { CaptureWarning } from "../../../core/model.js";
import { displayPath, emptyIndexSettings, truthy, type RawIndexSettings } from "./index-settings.js";
import { normalizePipOption, parsePipConf } from "./parse-pip-conf.js";

export interface PipConfigRead {
  settings: RawIndexSettings;
  /** Every option pip would take from its files and PIP_* variables, for `pip install`. */
  options: Map<string, string>;
  /** Every file pip may read, present or not: the fingerprint cache watches them. */
  files: string[];
  warnings: CaptureWarning[];
}

export interface PipConfigPlace {
  env: NodeJS.ProcessEnv;
  /** The environment's sys.prefix: its own pip.conf is pip's "site" file. "" when unknown. */
  prefix: string;
  home: string;
}

/**
 * The files pip reads, in pip's order of precedence (a later one wins): global
 * ($XDG_CONFIG_DIRS/pip/pip.conf, else /etc/xdg/pip/pip.conf, then /etc/pip.conf), user
 * (~/.pip/pip.conf, then $XDG_CONFIG_HOME/pip/pip.conf; skipped when PIP_CONFIG_FILE names a file
 * that exists), site (<prefix>/pip.conf), then PIP_CONFIG_FILE. PIP_CONFIG_FILE=/dev/null: none.
 */
export function pipConfigFiles(place: PipConfigPlace): string[] {
  const env = place.env;
  const named = env.PIP_CONFIG_FILE;
  if (named === "/dev/null") return [];
  const xdgDirs = (env.XDG_CONFIG_DIRS ?? "").split(":").filter((d) => d !== "");
  const global = [...(xdgDirs.length > 0 ? xdgDirs : ["/etc/xdg"]).map((d) => path.join(d, "pip", "pip.conf")), "/etc/pip.conf"];
  const configHome = env.XDG_CONFIG_HOME !== undefined && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(place.home, ".config");
  const user = named !== undefined && named !== "" && existsSync(named) ? [] : [path.join(place.home, ".pip", "pip.conf"), path.join(configHome, "pip", "pip.conf")];
  const site = place.prefix === "" ? [] : [path.join(place.prefix, "pip.conf")];
  return [...global, ...user, ...site, ...(named !== undefined && named !== "" ? [named] : [])];
}

const INDEX_OPTIONS = new Set(["index-url", "extra-index-url", "find-links", "no-index"]);

/**
 * The index settings pip would use for `pip install` in this environment, read the way pip reads
 * them: every file's [global] then [install] section (per option, the last file setting it wins,
 * and [install] beats [global]), then PIP_* variables over both. Empty values are ignored, as pip
 * ignores them. No pip is run.
 */
export function readPipIndexSettings(place: PipConfigPlace): PipConfigRead {
  const files = pipConfigFiles(place);
  const warnings: CaptureWarning[] = [];
  // "section\0option" -> value and where it came from, later files overriding earlier ones.
  const merged = new Map<string, { value: string; from: string }>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") warnings.push({ source: "python", message: `cannot read pip configuration ${file}: ${errorMessage(err)}` });
      continue;
    }
    for (const [section, options] of parsePipConf(text)) {
      for (const [name, value] of options) merged.set(`${section}\0${name}`, { value, from: displayPath(file, place.home) });
    }
  }
  const effective = new Map<string, { value: string; from: string }>();
  for (const section of ["global", "install"]) {
    for (const [key, v] of merged) {
      const [s, name = ""] = key.split("\0");
      if (s === section && v.value !== "") effective.set(name, v);
    }
  }
  for (const [key, value] of Object.entries(place.env)) {
    if (!key.startsWith("PIP_") || value === undefined || value === "") continue;
    const name = normalizePipOption(key.slice(4));
    if (name === "version" || name === "help" || name === "config-file") continue;
    effective.set(name, { value, from: key });
  }
  const settings = emptyIndexSettings();
  const readFrom = new Set<string>();
  for (const [name, v] of effective) {
    if (!INDEX_OPTIONS.has(name)) continue;
    readFrom.add(v.from);
    if (name === "index-url") settings.indexUrl = v.value.trim();
    else if (name === "extra-index-url") settings.extraIndexUrls = v.value.split(/\s+/).filter((u) => u !== "");
    else if (name === "find-links") settings.findLinks = v.value.split(/\s+/).filter((u) => u !== "");
    else settings.noIndex = truthy(v.value);
  }
  // Lowest precedence first: files in pip's order, then variables.
  const order = [...files.map((f) => displayPath(f, place.home))];
  settings.readFrom = [...readFrom].sort((a, b) => rank(order, a) - rank(order, b) || (a < b ? -1 : 1));
  return { settings, options: new Map([...effective].map(([k, v]) => [k, v.value])), files, warnings };
}

function rank(order: string[], from: string): number {
  const i = order.indexOf(from);
  return i === -1 ? order.length : i;
}
