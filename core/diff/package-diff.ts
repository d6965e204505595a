import type { PackageChange, PackageRef, RunDiff } from "../api-types.js";
import type { Package, PackageSource } from "../model.js";
import { compareVersions, isMajorChange, normalisePackageName } from "./version-order.js";

export type PackageDiff = RunDiff["packages"];

const SHORT_COMMIT = 12;

/**
 * Compares two package lists by PEP 503 name. Shadowed copies (a second copy on sys.path that
 * does not win) are left out: the headline is what `import` actually loads. Versions equal under
 * PEP 440 ("1.0" and "1.0.0") with the same source count as unchanged.
 */
export function diffPackages(from: readonly Package[], to: readonly Package[]): PackageDiff {
  const a = winners(from);
  const b = winners(to);
  const added: PackageRef[] = [];
  const removed: PackageRef[] = [];
  const changed: PackageChange[] = [];
  let unchanged = 0;

  for (const [name, pa] of a) {
    const pb = b.get(name);
    if (!pb) {
      removed.push({ name, version: pa.version });
      continue;
    }
    const change = comparePackage(name, pa, pb);
    if (change) changed.push(change);
    else unchanged++;
  }
  for (const [name, pb] of b) if (!a.has(name)) added.push({ name, version: pb.version });

  const byName = (x: { name: string }, y: { name: string }): number => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  return { added: added.sort(byName), removed: removed.sort(byName), changed: changed.sort(byName), unchanged };
}

function winners(pkgs: readonly Package[]): Map<string, Package> {
  const out = new Map<string, Package>();
  for (const p of pkgs) {
    if (p.shadowed) continue;
    const name = normalisePackageName(p.name);
    if (name && !out.has(name)) out.set(name, p);
  }
  return out;
}

function comparePackage(name: string, a: Package, b: Package): PackageChange | undefined {
  const order = compareVersions(a.version, b.version);
  const versionMoved = order === null ? a.version !== b.version : order !== 0;
  // Another version is another build anyway: the build digest only speaks for an equal version.
  const sourceMoved = !sameSource(a.source, b.source, versionMoved);
  if (!versionMoved && !sourceMoved) return undefined;

  const change: PackageChange = {
    name,
    from: a.version,
    to: b.version,
    direction: !versionMoved ? "source" : order === null ? "incomparable" : order < 0 ? "upgrade" : "downgrade",
    major: versionMoved && isMajorChange(a.version, b.version),
  };
  if (sourceMoved) {
    const [sourceFrom, sourceTo] = describeSourceChange(versionMoved ? withoutBuild(a.source) : a.source, versionMoved ? withoutBuild(b.source) : b.source);
    change.sourceFrom = sourceFrom;
    change.sourceTo = sourceTo;
  }
  return change;
}

function withoutBuild(s: PackageSource | null): PackageSource | null {
  return s === null ? null : { ...s, recordDigest: "" };
}

const SOURCE_FIELDS = ["kind", "url", "vcs", "commit", "archiveHash", "channel", "build", "recordDigest"] as const;

function field(s: PackageSource | null, f: (typeof SOURCE_FIELDS)[number]): string {
  const v = s?.[f] ?? "";
  // An agent that could not tell the source says "unknown" or nothing: the same thing.
  return f === "kind" && v === "unknown" ? "" : v;
}

function sameSource(a: PackageSource | null, b: PackageSource | null, ignoreBuild = false): boolean {
  return SOURCE_FIELDS.every((f) => field(a, f) === field(b, f) || (f === "recordDigest" && (ignoreBuild || field(a, f) === "" || field(b, f) === "")));
}

/**
 * The two sides of a source change, as short as still tells them apart: the VCS commits alone
 * (shortened to 12) when only the commit moved, otherwise a full description of each side.
 */
function describeSourceChange(a: PackageSource | null, b: PackageSource | null): [string, string] {
  // A side without a build digest (an agent from before they were recorded) is no build change.
  const same = (f: (typeof SOURCE_FIELDS)[number]): boolean => field(a, f) === field(b, f) || (f === "recordDigest" && (field(a, f) === "" || field(b, f) === ""));
  const onlyCommit = SOURCE_FIELDS.every((f) => f === "commit" || same(f));
  if (onlyCommit) return [field(a, "commit").slice(0, SHORT_COMMIT) || "(none)", field(b, "commit").slice(0, SHORT_COMMIT) || "(none)"];
  return [describeSource(a), describeSource(b)];
}

/** A one-line description of where a package came from: "git+https://...@0123456789ab". */
export function describeSource(s: PackageSource | null): string {
  const kind = field(s, "kind");
  const url = field(s, "url");
  const commit = field(s, "commit").slice(0, SHORT_COMMIT);
  const hash = shortHash(field(s, "archiveHash"));
  const parts: string[] = [];
  if (field(s, "vcs") || commit) {
    parts.push(`${field(s, "vcs") || "vcs"}+${url}${commit ? `@${commit}` : ""}`);
  } else {
    if (kind) parts.push(kind);
    if (url) parts.push(url);
  }
  if (hash) parts.push(hash);
  const build = shortHash(field(s, "recordDigest"));
  if (build) parts.push(`build ${build}`);
  const channel = field(s, "channel");
  const condaBuild = field(s, "build");
  if (channel) parts.push(channel);
  if (condaBuild) parts.push(condaBuild);
  return parts.length > 0 ? parts.join(" ") : "(unknown)";
}

function shortHash(h: string): string {
  const m = /^(sha\d+)[=:]([0-9a-f]+)$/i.exec(h);
  return m ? `${m[1]}=${(m[2] ?? "").slice(0, SHORT_COMMIT)}` : h;
}
