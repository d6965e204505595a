import type { FieldChange } from "../../../core/api-types.js";
import type { EnvironmentSnapshot } from "../../../core/model.js";
import { diffPackages } from "../../../core/diff/package-diff.js";
import { packageSet, packageSetDigest } from "./package-set-digest.js";
import type { EnvironmentComparison } from "./rebuild-environment-types.js";

/**
 * Compares what was recorded with what is there now, on the package set only (interpreter
 * implementation and version, and each package's name, version and source identity). Every
 * difference is listed; `matches` is the equality of the two package-set digests.
 */
export function compareEnvironments(recorded: EnvironmentSnapshot, found: EnvironmentSnapshot): EnvironmentComparison {
  const actual = withoutUnrecordedBuilds(recorded, found);
  const diff = diffPackages(packageSet(recorded.packages), packageSet(actual.packages));
  const interpreter: FieldChange[] = [];
  for (const field of ["implementation", "version"] as const) {
    const from = recorded.interpreter?.[field] ?? "";
    const to = actual.interpreter?.[field] ?? "";
    if (from !== to) interpreter.push({ field: `interpreter.${field}`, from: from || null, to: to || null });
  }
  const recordedDigest = packageSetDigest(recorded);
  const actualDigest = packageSetDigest(actual);
  return {
    matches: recordedDigest === actualDigest,
    recordedDigest,
    actualDigest,
    packages: { added: diff.added, removed: diff.removed, changed: diff.changed },
    interpreter,
  };
}

/**
 * `actual` without the build digests the recorded side has no counterpart for: a snapshot taken
 * before build digests were recorded (or of a package without a RECORD) is compared on the rest.
 */
function withoutUnrecordedBuilds(recorded: EnvironmentSnapshot, actual: EnvironmentSnapshot): EnvironmentSnapshot {
  const has = new Set(recorded.packages.filter((p) => (p.source?.recordDigest ?? "") !== "").map((p) => p.name));
  return {
    ...actual,
    packages: actual.packages.map((p) => (p.source === null || p.source.recordDigest === "" || has.has(p.name) ? p : { ...p, source: { ...p.source, recordDigest: "" } })),
  };
}

/** The differences, one per line ("pydantic 1.10.13 -> 2.7.1 (upgrade, major)"), for error messages. */
export function describeDifferences(c: EnvironmentComparison): string[] {
  const lines: string[] = [];
  for (const f of c.interpreter) lines.push(`${f.field} ${f.from ?? "(none)"} -> ${f.to ?? "(none)"}`);
  for (const p of c.packages.changed) {
    const source = p.sourceFrom === undefined ? "" : `source ${p.sourceFrom} -> ${p.sourceTo ?? ""}`;
    const what = p.direction === "source" ? source : `${p.from} -> ${p.to} (${p.direction}${p.major ? ", major" : ""})${source === "" ? "" : `, ${source}`}`;
    lines.push(`${p.name} ${what}`);
  }
  for (const p of c.packages.removed) lines.push(`${p.name} ${p.version} missing`);
  for (const p of c.packages.added) lines.push(`${p.name} ${p.version} not recorded`);
  return lines;
}
