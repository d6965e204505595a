import { BadInputError } from "../../core/errors.js";

/** An absolute path recorded on the old run and where its restored copy lives now. */
export interface PathMapping {
  from: string;
  to: string;
}

// A restored path goes into a shell script unquoted (it replaces text that may sit inside quotes
// of any kind), so it may hold only characters no shell reads as syntax in any quoting context.
const SAFE_TARGET = /^\/[A-Za-z0-9_\-.,:/@%+=]*$/;
// A path continues with these; the recorded prefix must end where the path does, so
// /envs/train does not match inside /envs/train2.
const PATH_CHAR = "A-Za-z0-9_.\\-";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** Refuses a mapping that would rewrite too much ("/") or put shell syntax into the script. */
export function checkMapping(m: PathMapping): void {
  const from = m.from.replace(/\/+$/, "");
  if (!from.startsWith("/") || from === "") {
    throw new BadInputError(`cannot map the recorded path ${JSON.stringify(m.from)}: it is not an absolute path below /`);
  }
  if (!SAFE_TARGET.test(m.to)) {
    throw new BadInputError(`the restored path ${JSON.stringify(m.to)} holds characters a shell would read; restore into a plain path (letters, digits, / _ - . , : @ % + =)`);
  }
}

/**
 * Rewrites every whole-path occurrence of each recorded path (and anything below it) to its
 * restored copy, longest first and in one pass, so a restored path that contains another
 * recorded one is never rewritten twice.
 */
export function mapPaths(text: string, mappings: readonly PathMapping[]): string {
  const usable = mappings.map((m) => ({ from: m.from.replace(/\/+$/, ""), to: m.to.replace(/\/+$/, "") })).filter((m) => m.from !== m.to);
  if (usable.length === 0) return text;
  for (const m of usable) checkMapping(m);
  const byFrom = new Map(usable.map((m) => [m.from, m.to]));
  const alternatives = [...byFrom.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![${PATH_CHAR}/])(?:${alternatives.join("|")})(?![${PATH_CHAR}])`, "g");
  return text.replace(pattern, (found) => byFrom.get(found) ?? found);
}
