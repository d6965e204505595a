import { createRequire } from "node:module";
import { BadInputError } from "../../core/errors.js";

type Pep440 = typeof import("@renovatebot/pep440");
let pep440: Pep440 | undefined;
function lib(): Pep440 {
  pep440 ??= createRequire(import.meta.url)("@renovatebot/pep440") as Pep440;
  return pep440;
}

/** PEP 503: lower case, runs of "-", "_" and "." become one "-". */
export function normalisePackageName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, "-");
}

export type VersionMatcher =
  | { kind: "exact"; version: string }
  | { kind: "specifier"; specifier: string; matches(version: string): boolean };

const OPERATOR = /^\s*(===|~=|==|!=|<=|>=|<|>)/;

/**
 * "2.7.1" matches that exact version string; anything starting with a PEP 440 operator, or a
 * comma-separated list (">=2,<3", "~=1.10", "==2.*"), is a specifier evaluated with PEP 440
 * ordering. Throws BAD_INPUT for a specifier PEP 440 does not accept.
 */
export function versionMatcher(version: string): VersionMatcher {
  const text = version.trim();
  if (text === "") throw new BadInputError("version is empty");
  if (!OPERATOR.test(text) && !text.includes(",")) return { kind: "exact", version: text };
  const { satisfies, validRange } = lib();
  if (!validRange(text)) throw new BadInputError(`version specifier "${text}" is not a valid PEP 440 specifier`);
  return {
    kind: "specifier",
    specifier: text,
    matches(candidate: string): boolean {
      try {
        return satisfies(candidate, text);
      } catch {
        return false; // not a PEP 440 version (a local path, a VCS ref): it cannot satisfy a range
      }
    },
  };
}
