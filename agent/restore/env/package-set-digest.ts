import { createRequire } from "node:module";
import { sha256Digest } from "../../../core/digest.js";
import type { EnvironmentSnapshot, Package, PackageSource } from "../../../core/model.js";
import { emptyPackageSource } from "../../python/parse-direct-url.js";

// canonicalize is CommonJS whose typings claim an ES default export; require gives the function.
const canonicalize = createRequire(import.meta.url)("canonicalize") as (input: unknown) => string | undefined;

// Bumped when what goes into the package-set digest changes.
const FORMAT = 1;

/**
 * Where a package came from, reduced to what a restore on another host can reproduce and check:
 *
 * - index (and unknown): no url, since which index served it is not recorded per package; the
 *   build digest over its RECORD when there is one, so a same-version wheel of another build differs;
 * - vcs: the VCS, the url and the commit;
 * - local: the archive hash when there is one; not the url, which is a path on the host that
 *   captured it (a restore installs the same file or folder from the restored code);
 * - editable: the kind alone, for the same reason;
 * - conda: channel and build.
 */
export function sourceIdentity(source: PackageSource | null): PackageSource {
  const kind = source?.kind ?? "";
  switch (kind) {
    case "vcs":
      return { ...emptyPackageSource("vcs"), url: source?.url ?? "", vcs: source?.vcs ?? "", commit: source?.commit ?? "" };
    case "local":
      return { ...emptyPackageSource("local"), archiveHash: source?.archiveHash ?? "" };
    case "editable":
      return emptyPackageSource("editable");
    case "conda":
      return { ...emptyPackageSource("conda"), channel: source?.channel ?? "", build: source?.build ?? "" };
    default:
      return { ...emptyPackageSource("index"), recordDigest: source?.recordDigest ?? "" };
  }
}

/**
 * The packages `import` loads (shadowed copies left out: a restore cannot and need not put a
 * losing second copy back), each as name, version and source identity, sorted by name. The
 * installer is left out: uv and pip install the same files and only label them differently.
 */
export function packageSet(packages: readonly Package[]): Package[] {
  const seen = new Set<string>();
  const out: Package[] = [];
  for (const p of packages) {
    if (p.shadowed || seen.has(p.name)) continue;
    seen.add(p.name);
    out.push({ name: p.name, version: p.version, installer: "", source: sourceIdentity(p.source), shadowed: false });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The package-set digest: SHA-256 over the RFC 8785 canonical JSON of the interpreter's
 * implementation and version and the package set (see packageSet and sourceIdentity). It is what
 * a rebuilt venv can match exactly. The environment digest cannot: it also holds the
 * interpreter's executable and prefix (the venv's own paths after a rebuild), its kind, the
 * platform, the OS, env vars, modules and the image, none of which installing packages restores.
 */
export function packageSetDigest(environment: EnvironmentSnapshot): string {
  const json = canonicalize({
    format: FORMAT,
    interpreter: { implementation: environment.interpreter?.implementation ?? "", version: environment.interpreter?.version ?? "" },
    packages: packageSet(environment.packages).map((p) => ({ name: p.name, version: p.version, source: dropEmpty(p.source) })),
  });
  if (json === undefined) throw new Error("package set cannot be canonicalised");
  return sha256Digest(json);
}

function dropEmpty(source: PackageSource | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source ?? {})) if (typeof v === "string" && v !== "") out[k] = v;
  return out;
}
