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
/** Version text that is not PEP 440 yet real: conda builds ("1.2.3_py39"), local labels, VCS refs. */
const VERSION_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._+!-]*$/;

// satisfies() parses the specifier again on every call (about 0.1 ms): a package search tested
// each of a package's distinct versions that way, 15 ms per request for pydantic's 150. Its
// answer depends on the two strings only, so matchers and their answers are kept, bounded.
const MAX_CACHED_SPECIFIERS = 64;
const MAX_CACHED_ANSWERS = 4096;
const specifiers = new Map<string, VersionMatcher & { kind: "specifier" }>();

/**
 * "2.7.1" matches that exact version string; anything starting with a PEP 440 operator, or a
 * comma-separated list (">=2,<3", "~=1.10", "==2.*"), is a specifier evaluated with PEP 440
 * ordering. Throws BAD_INPUT for a specifier PEP 440 does not accept, and for text that is
 * neither a version nor a specifier.
 */
export function versionMatcher(version: string): VersionMatcher {
  const text = version.trim();
  if (text === "") throw new BadInputError("version is empty");
  const { satisfies, valid, validRange } = lib();
  if (!OPERATOR.test(text) && !text.includes(",")) {
    // "((((" or "1.0 or 2.0" can match no recorded version: refused, not silently empty.
    if (valid(text) === null && !VERSION_TOKEN.test(text)) {
      throw new BadInputError(`"${text.slice(0, 100)}" is neither a version nor a PEP 440 specifier (e.g. 2.7.1, >=2,<3, ~=1.10)`);
    }
    return { kind: "exact", version: text };
  }
  const cached = specifiers.get(text);
  if (cached) {
    // Most recently used last: the first key is the one to drop.
    specifiers.delete(text);
    specifiers.set(text, cached);
    return cached;
  }
  if (!validRange(text)) throw new BadInputError(`version specifier "${text}" is not a valid PEP 440 specifier`);
  const answers = new Map<string, boolean>();
  const matcher: VersionMatcher = {
    kind: "specifier",
    specifier: text,
    matches(candidate: string): boolean {
      let answer = answers.get(candidate);
      if (answer === undefined) {
        try {
          answer = satisfies(candidate, text);
        } catch {
          answer = false; // not a PEP 440 version (a local path, a VCS ref): it cannot satisfy a range
        }
        if (answers.size >= MAX_CACHED_ANSWERS) answers.clear();
        answers.set(candidate, answer);
      }
      return answer;
    },
  };
  specifiers.set(text, matcher);
  if (specifiers.size > MAX_CACHED_SPECIFIERS) specifiers.delete(specifiers.keys().next().value!);
  return matcher;
}
