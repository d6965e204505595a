import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { errorMessage } from "../../../core/errors.js";
import type { CaptureWarning } from "../../../core/model.js";
import { displayPath, emptyIndexSettings, truthy, type RawIndexSettings } from "./index-settings.js";

export interface UvConfigRead {
  settings: RawIndexSettings;
  /** Every file uv may read here, present or not (the project's nearest one when found): the fingerprint cache watches them. */
  files: string[];
  warnings: CaptureWarning[];
}

export interface UvConfigPlace {
  env: NodeJS.ProcessEnv;
  /** The job's folder: uv takes the nearest uv.toml or pyproject.toml at or above it. */
  cwd: string;
  home: string;
}

interface UvLayer {
  indexUrl?: string;
  extraIndexUrls: string[];
  findLinks: string[];
  noIndex?: boolean;
  /** [[index]] entries, in file order. */
  indexes: { url: string; isDefault: boolean; explicit: boolean; flat: boolean }[];
  from: string;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

// A pyproject.toml without a [tool.uv...] table is passed over, as uv passes it over.
const TOOL_UV = /^\s*\[{1,2}\s*tool\s*\.\s*uv\s*[\].]/m;

function hasToolUv(file: string): boolean {
  try {
    return TOOL_UV.test(readFileSync(file, "utf8"));
  } catch {
    return false;
  }
}

/** The nearest uv.toml, or pyproject.toml with a [tool.uv] table, at or above `cwd` (a uv.toml first in each folder); null when none. */
export function uvProjectConfig(cwd: string): string | null {
  let dir = path.resolve(cwd);
  for (;;) {
    const uvToml = path.join(dir, "uv.toml");
    if (isFile(uvToml)) return uvToml;
    const pyproject = path.join(dir, "pyproject.toml");
    if (isFile(pyproject) && hasToolUv(pyproject)) return pyproject;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The files uv reads, lowest precedence first: system, user, project (UV_CONFIG_FILE alone replaces them; UV_NO_CONFIG: none). */
export function uvConfigFiles(place: UvConfigPlace): string[] {
  const env = place.env;
  if (env.UV_NO_CONFIG !== undefined && truthy(env.UV_NO_CONFIG)) return [];
  if (env.UV_CONFIG_FILE !== undefined && env.UV_CONFIG_FILE !== "") return [path.resolve(place.cwd, env.UV_CONFIG_FILE)];
  const xdgDirs = (env.XDG_CONFIG_DIRS ?? "").split(":").filter((d) => d !== "");
  const system = [...(xdgDirs.length > 0 ? xdgDirs : ["/etc/xdg"]).map((d) => path.join(d, "uv", "uv.toml")), "/etc/uv/uv.toml"];
  const configHome = env.XDG_CONFIG_HOME !== undefined && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(place.home, ".config");
  const project = uvProjectConfig(place.cwd);
  return [...system, path.join(configHome, "uv", "uv.toml"), ...(project === null ? [] : [project])];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
}

function table(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function layerOf(settings: Record<string, unknown>, from: string): UvLayer {
  // `uv pip` commands take the [pip] table over the top-level settings.
  const pip = table(settings.pip) ?? {};
  const pick = (key: string): unknown => (key in pip ? pip[key] : settings[key]);
  const layer: UvLayer = { extraIndexUrls: strings(pick("extra-index-url")), findLinks: strings(pick("find-links")), indexes: [], from };
  const indexUrl = pick("index-url");
  if (typeof indexUrl === "string") layer.indexUrl = indexUrl;
  const noIndex = pick("no-index");
  if (typeof noIndex === "boolean") layer.noIndex = noIndex;
  for (const entry of Array.isArray(settings.index) ? settings.index : []) {
    const t = table(entry);
    if (t === null || typeof t.url !== "string") continue;
    layer.indexes.push({ url: t.url, isDefault: t.default === true, explicit: t.explicit === true, flat: t.format === "flat" });
  }
  return layer;
}

function readLayer(file: string, place: UvConfigPlace, warnings: CaptureWarning[]): UvLayer | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") warnings.push({ source: "python", message: `cannot read uv configuration ${file}: ${errorMessage(err)}` });
    return null;
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (err) {
    warnings.push({ source: "python", message: `bad TOML in ${file}: ${errorMessage(err).split("\n")[0] ?? ""}` });
    return null;
  }
  const from = displayPath(file, place.home);
  if (path.basename(file) === "pyproject.toml") {
    const uv = table(table(doc.tool)?.uv);
    return uv === null ? null : layerOf(uv, `${from} [tool.uv]`);
  }
  return layerOf(doc, from);
}

function envList(value: string | undefined): string[] {
  return (value ?? "").split(/\s+/).filter((u) => u !== "");
}

/**
 * The index settings `uv pip install` would use here: the system, user and project configuration
 * (uv.toml, or [tool.uv] with its [[tool.uv.index]] in the nearest pyproject.toml) and the UV_*
 * variables. `indexUrl` is the default index; `extraIndexUrls` the others in the order uv tries
 * them: UV_INDEX, UV_EXTRA_INDEX_URL, then the configured ones (project before user before system),
 * `explicit` indexes last (uv uses them only for packages pinned to them; a restore may need any).
 */
export function readUvIndexSettings(place: UvConfigPlace): UvConfigRead {
  const files = uvConfigFiles(place);
  const warnings: CaptureWarning[] = [];
  const layers = files.map((f) => readLayer(f, place, warnings)).filter((l): l is UvLayer => l !== null);
  const env = place.env;
  const settings = emptyIndexSettings();
  const readFrom: string[] = [];
  const extras: string[] = [];
  const explicit: string[] = [];
  const note = (from: string): void => {
    if (!readFrom.includes(from)) readFrom.push(from);
  };
  // Highest precedence first for the lists; scalars: the first layer (from the top) that sets one.
  for (const name of ["UV_INDEX"] as const) {
    for (const item of envList(env[name])) {
      extras.push(item.replace(/^[A-Za-z0-9_.-]+=(?=[a-z+]+:)/i, ""));
      note(name);
    }
  }
  for (const url of envList(env.UV_EXTRA_INDEX_URL)) {
    extras.push(url);
    note("UV_EXTRA_INDEX_URL");
  }
  const top = [...layers].reverse();
  for (const layer of top) {
    for (const i of layer.indexes) {
      note(layer.from);
      if (i.flat) settings.findLinks.push(i.url);
      else if (i.isDefault) settings.indexUrl ||= i.url;
      else (i.explicit ? explicit : extras).push(i.url);
    }
    if (layer.extraIndexUrls.length > 0) note(layer.from);
    extras.push(...layer.extraIndexUrls);
  }
  const defaultFromEnv = env.UV_DEFAULT_INDEX || env.UV_INDEX_URL || "";
  if (defaultFromEnv !== "") {
    settings.indexUrl = defaultFromEnv;
    note(env.UV_DEFAULT_INDEX ? "UV_DEFAULT_INDEX" : "UV_INDEX_URL");
  } else {
    const layer = top.find((l) => l.indexUrl !== undefined);
    if (layer?.indexUrl !== undefined && settings.indexUrl === "") {
      settings.indexUrl = layer.indexUrl;
      note(layer.from);
    }
  }
  const envLinks = (env.UV_FIND_LINKS ?? "").split(/[\s,]+/).filter((u) => u !== "");
  if (envLinks.length > 0) note("UV_FIND_LINKS");
  settings.findLinks = [...envLinks, ...settings.findLinks, ...top.flatMap((l) => l.findLinks)];
  for (const l of top) if (l.findLinks.length > 0) note(l.from);
  const noIndexLayer = top.find((l) => l.noIndex !== undefined);
  if (env.UV_NO_INDEX !== undefined && env.UV_NO_INDEX !== "") {
    settings.noIndex = truthy(env.UV_NO_INDEX);
    note("UV_NO_INDEX");
  } else if (noIndexLayer !== undefined) {
    settings.noIndex = noIndexLayer.noIndex === true;
    note(noIndexLayer.from);
  }
  settings.extraIndexUrls = [...new Set([...extras, ...explicit])].filter((u) => u !== settings.indexUrl);
  settings.readFrom = readFrom.reverse();
  return { settings, files, warnings };
}
