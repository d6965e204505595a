import { readdirSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import type { CaptureWarning, Package } from "../../core/model.js";
import { errorMessage } from "../../core/errors.js";
import { stripUrlCredentials } from "../env/strip-url-credentials.js";
import { emptyPackageSource } from "./parse-direct-url.js";

/** One `conda-meta/<name>-<version>-<build>.json` record, as conda, mamba and micromamba write it. */
export interface CondaRecord {
  name: string;
  version: string;
  build: string;
  /** The channel without its platform subdir and credentials ("https://host/conda-forge" or "conda-forge"). */
  channel: string;
  /** The package file's URL, credentials stripped; "" when the record has none. */
  url: string;
  /**
   * The `.dist-info` / `.egg-info` folders or files this package installed, as absolute paths
   * under the real prefix. Empty for a package that is not a Python distribution (mkl, cudatoolkit).
   */
  pythonMetadata: string[];
}

export interface CondaMeta {
  records: CondaRecord[];
  warnings: CaptureWarning[];
}

// A conda token in a channel URL: https://host/t/<token>/channel/...
const CONDA_TOKEN = /\/t\/[^/]+(?=\/)/;
const SUBDIR = /\/(?:noarch|(?:linux|osx|win|emscripten|wasi|zos)-[a-z0-9_]+)\/?$/;
// "lib/python3.11/site-packages/numpy-1.26.4.dist-info/METADATA" -> the metadata folder.
const PY_METADATA = /^(.*?[^/]+\.(?:dist-info|egg-info))(?:\/|$)/i;

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function cleanUrl(url: string): string {
  return stripUrlCredentials(url).replace(CONDA_TOKEN, "");
}

/** "https://host/conda-forge/linux-64" -> "https://host/conda-forge"; names stay as they are. */
export function condaChannel(channel: string): string {
  return cleanUrl(channel).replace(SUBDIR, "");
}

/** Parses one conda-meta JSON document; `realPrefix` turns its relative file list into paths. */
export function parseCondaRecord(text: string, realPrefix: string): { ok: true; record: CondaRecord } | { ok: false; error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON (${errorMessage(err)})` };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { ok: false, error: "not a JSON object" };
  const d = doc as Record<string, unknown>;
  const name = str(d.name);
  const version = str(d.version);
  if (name === "" || version === "") return { ok: false, error: "no name or version" };
  const metadata = new Set<string>();
  if (Array.isArray(d.files)) {
    for (const f of d.files) {
      const m = typeof f === "string" ? PY_METADATA.exec(f) : null;
      if (m?.[1]) metadata.add(path.join(realPrefix, m[1]));
    }
  }
  const url = cleanUrl(str(d.url));
  // Older records have only the URL; the channel is its folder without the file and subdir.
  let channel = str(d.channel);
  if (channel === "" && url !== "") channel = url.slice(0, url.lastIndexOf("/"));
  return {
    ok: true,
    record: { name, version, build: str(d.build) || str(d.build_string), channel: condaChannel(channel), url, pythonMetadata: [...metadata].sort() },
  };
}

/**
 * The packages a conda / mamba / micromamba environment holds, from `<prefix>/conda-meta/*.json`.
 * null when the prefix is not a conda environment. A record that cannot be read is a warning.
 */
export function readCondaMeta(prefix: string): CondaMeta | null {
  let realPrefix: string;
  let names: string[];
  try {
    realPrefix = realpathSync(prefix);
    names = readdirSync(path.join(realPrefix, "conda-meta"));
  } catch {
    return null;
  }
  const records: CondaRecord[] = [];
  const warnings: CaptureWarning[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith(".json")) continue; // "history", "pinned", "state"
    const file = path.join(realPrefix, "conda-meta", name);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      warnings.push({ source: "python", message: `cannot read ${file}: ${errorMessage(err)}` });
      continue;
    }
    const parsed = parseCondaRecord(text, realPrefix);
    if (parsed.ok) records.push(parsed.record);
    else warnings.push({ source: "python", message: `skipped ${file}: ${parsed.error}` });
  }
  return { records, warnings };
}

/**
 * Conda packages that are not Python distributions (the interpreter itself, mkl, cudatoolkit,
 * openssl), as packages with installer "conda". They keep conda's own name: conda names are
 * already lower case, and PEP 503 folding would turn "_libgcc_mutex" into something conda never
 * calls it. Python distributions are read from their metadata like any other and only get their
 * channel and build from the record (see `condaSourceByMetadata`).
 */
export function condaOnlyPackages(meta: CondaMeta): Package[] {
  return meta.records
    .filter((r) => r.pythonMetadata.length === 0)
    .map((r) => ({
      name: r.name,
      version: r.version,
      installer: "conda",
      source: { ...emptyPackageSource("conda"), url: r.url, channel: r.channel, build: r.build },
      shadowed: false,
    }));
}

/** Each Python metadata folder a conda package installed, to its record. */
export function condaRecordsByMetadata(meta: CondaMeta): Map<string, CondaRecord> {
  const out = new Map<string, CondaRecord>();
  for (const r of meta.records) for (const m of r.pythonMetadata) out.set(m, r);
  return out;
}
