import { ConfigError } from "../../core/errors.js";

export type SecretFileMatcher = (path: string) => boolean;

interface Rule {
  keep: boolean;
  test: RegExp;
}

function globToRegExp(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      // "**/" spans zero or more folders; a bare "**" anything at all.
      if (glob[i + 2] === "/") {
        out += "(?:.*/)?";
        i += 2;
      } else {
        out += ".*";
        i += 1;
      }
    } else if (ch === "*") out += "[^/]*";
    else if (ch === "?") out += "[^/]";
    else out += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return out;
}

function ruleOf(pattern: string): Rule | undefined {
  let p = pattern.trim();
  if (p === "" || p === "!") return undefined;
  const keep = p.startsWith("!");
  if (keep) p = p.slice(1);
  p = p.replace(/^\/+/, "");
  const folder = p.endsWith("/");
  if (folder) p = p.replace(/\/+$/, "");
  if (p === "") throw new ConfigError(`invalid secret-file pattern ${JSON.stringify(pattern)}: it names no file`);
  // Matched against the end of the path: a pattern names a file (or folder) at any depth.
  const body = globToRegExp(p) + (folder ? "/.*" : "");
  return { keep, test: new RegExp(`(?:^|/)${body}$`, "i") };
}

/**
 * A matcher for secret-file patterns (see DEFAULT_SECRET_FILES in agent-options.ts), applied in
 * order like .gitignore: the last pattern that matches a path decides, a "!" pattern keeping it.
 */
export function secretFileMatcher(patterns: readonly string[]): SecretFileMatcher {
  const rules = patterns.map(ruleOf).filter((r): r is Rule => r !== undefined);
  return (path) => {
    let secret = false;
    for (const r of rules) if (r.keep === secret && r.test.test(path)) secret = !r.keep;
    return secret;
  };
}
