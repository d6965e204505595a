// THE one place where a value becomes SQL text for ClickHouse. Everything else goes through
// insert() with JSONEachRow (no escaping needed) or through this function. ClickHouse 18.16 has
// no server-side query parameters, so filters from users (pipeline, step, package, run id
// prefixes) are quoted here; test/integration/clickhouse-store.test.ts runs hostile strings
// through the real server and checks they come back byte for byte.
//
// Rules (ClickHouse string literal syntax, the same in 18.16 and current versions):
// - the literal is wrapped in single quotes;
// - backslash and single quote are escaped with a backslash (so no quote can end the literal
//   early and no backslash can swallow the closing quote);
// - every C0 control character and DEL becomes \xHH, so NUL, newlines and terminal escapes
//   never reach the server raw (a raw NUL would end the query in some code paths);
// - everything else (UTF-8 text, including astral characters) passes through unchanged.
//   Lone UTF-16 surrogates cannot be sent as UTF-8: they are refused, rather than silently
//   replaced, so a filter never matches something other than what was asked.

import { BadInputError } from "../../core/errors.js";

// Control characters are exactly what this pattern is about.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\\'\u0000-\u001f\u007f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function quoteClickHouseString(value: string): string {
  if (typeof value !== "string") throw new TypeError(`quoteClickHouseString needs a string, got ${typeof value}`);
  if (LONE_SURROGATE.test(value)) throw new BadInputError("text holds a lone UTF-16 surrogate: it is not valid Unicode");
  const body = value.replace(NEEDS_ESCAPE, (ch) =>
    ch === "\\" || ch === "'" ? `\\${ch}` : `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return `'${body}'`;
}

/** `('a', 'b')` for IN lists; an empty list is `('')`-free: callers must not ask for one. */
export function quoteClickHouseStrings(values: Iterable<string>): string {
  const quoted = [...values].map(quoteClickHouseString);
  if (quoted.length === 0) throw new Error("an IN list needs at least one value");
  return `(${quoted.join(", ")})`;
}
