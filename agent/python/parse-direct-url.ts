import type { PackageSource } from "../../core/model.js";
import { stripUrlCredentials } from "../env/strip-url-credentials.js";

export function emptyPackageSource(kind: string): PackageSource {
  return { kind, url: "", vcs: "", commit: "", archiveHash: "", channel: "", build: "", recordDigest: "" };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * Where a distribution came from, per its PEP 610 `direct_url.json`: a VCS checkout ("vcs" with
 * the commit), an editable project ("editable"), a local directory or an archive ("local", with
 * the archive's hash). URLs lose their credentials.
 */
export function packageSourceFromDirectUrl(text: string): { ok: true; source: PackageSource } | { ok: false; error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!isRecord(doc) || typeof doc.url !== "string") return { ok: false, error: "no url" };
  const url = stripUrlCredentials(doc.url);
  if (isRecord(doc.vcs_info)) {
    return {
      ok: true,
      source: { ...emptyPackageSource("vcs"), url, vcs: str(doc.vcs_info.vcs), commit: str(doc.vcs_info.commit_id) },
    };
  }
  if (isRecord(doc.dir_info)) {
    return { ok: true, source: { ...emptyPackageSource(doc.dir_info.editable === true ? "editable" : "local"), url } };
  }
  if (isRecord(doc.archive_info)) {
    let hash = str(doc.archive_info.hash);
    const hashes = doc.archive_info.hashes;
    if (hash === "" && isRecord(hashes)) {
      const algo = typeof hashes.sha256 === "string" ? "sha256" : Object.keys(hashes).sort()[0];
      if (algo !== undefined) hash = `${algo}=${str(hashes[algo])}`;
    }
    return { ok: true, source: { ...emptyPackageSource("local"), url, archiveHash: hash } };
  }
  return { ok: true, source: { ...emptyPackageSource("unknown"), url } };
}
