import { compare, parse } from "@renovatebot/pep440";

/**
 * PEP 440 ordering of two version strings: -1, 0 or 1, or null when either does not parse
 * (then only string equality means anything). "1.0" and "1.0.0" compare equal; local labels
 * are ordered per PEP 440 (segment by segment, numbers as integers, text case-insensitively),
 * so 2.1.0+cu118 < 2.1.0+cu121 and 2.1.0 < 2.1.0+cu118.
 */
export function compareVersions(from: string, to: string): -1 | 0 | 1 | null {
  if (from === to) return 0;
  if (parse(from) === null || parse(to) === null) return null;
  const c = compare(from, to);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/**
 * Whether a version change is "major", i.e. likely to break callers.
 *
 * Rule (Cargo's caret rule, which matches how the Python ecosystem actually uses 0.x):
 *   - a different epoch is major;
 *   - otherwise compare release segments up to and including the leftmost non-zero segment of
 *     either version; any difference there is major.
 * So 1.10.13 -> 2.7.1 is major (first segment), 1.10 -> 1.11 is not; 0.1.20 -> 0.2.1 is major
 * (langchain, pydantic-core style 0.x where the minor bump is the breaking one), 0.1.5 -> 0.1.9
 * is not; 0.0.3 -> 0.0.4 is major; 0.9 -> 1.0 is major. Missing segments count as 0, so
 * 1 -> 1.0.1 is not major. Unparseable versions are never flagged.
 */
export function isMajorChange(from: string, to: string): boolean {
  const a = parse(from);
  const b = parse(to);
  if (a === null || b === null) return false;
  if (a.epoch !== b.epoch) return true;
  const len = Math.max(a.release.length, b.release.length);
  const seg = (r: number[], i: number): number => r[i] ?? 0;
  const firstNonZero = (r: number[]): number => {
    for (let i = 0; i < len; i++) if (seg(r, i) !== 0) return i;
    return len - 1;
  };
  const upTo = Math.min(firstNonZero(a.release), firstNonZero(b.release));
  for (let i = 0; i <= upTo; i++) if (seg(a.release, i) !== seg(b.release, i)) return true;
  return false;
}

/** PEP 503 normalised project name: "Foo.Bar_baz" -> "foo-bar-baz". */
export function normalisePackageName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, "-");
}
