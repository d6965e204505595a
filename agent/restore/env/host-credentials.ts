import { readFileSync } from "node:fs";
import path from "node:path";
import { stripUrlSecrets } from "../../env/strip-url-secrets.js";
import type { RawIndexSettings } from "../../python/indexes/index-settings.js";

/** An index URL as the snapshot stores it: a host's URL with a token in its query matches its recorded form. */
function bare(url: string): string {
  return stripUrlSecrets(url).replace(/\/+$/, "");
}

/**
 * The recorded URL as this host writes it, credentials included, when the host's own pip or uv
 * settings name the same index (the snapshot never holds credentials); else the recorded URL.
 */
export function withHostCredentials(recorded: string, host: readonly RawIndexSettings[]): string {
  const want = bare(recorded);
  for (const s of host) {
    for (const url of [s.indexUrl, ...s.extraIndexUrls, ...s.findLinks]) {
      if (url !== "" && url !== stripUrlSecrets(url) && bare(url) === want) return url;
    }
  }
  return recorded;
}

/** The login and password ~/.netrc (or $NETRC) gives for a host, as pip and uv would use them. */
export function netrcCredentials(hostname: string, env: NodeJS.ProcessEnv, home: string): { login: string; password: string } | null {
  let text: string;
  try {
    text = readFileSync(env.NETRC !== undefined && env.NETRC !== "" ? env.NETRC : path.join(home, ".netrc"), "utf8");
  } catch {
    return null;
  }
  const tokens = text.split(/\s+/).filter((t) => t !== "");
  let fallback: { login: string; password: string } | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const isMachine = tokens[i] === "machine";
    if (!isMachine && tokens[i] !== "default") continue;
    const name = isMachine ? tokens[i + 1] : null;
    const entry = { login: "", password: "" };
    for (let j = i + (isMachine ? 2 : 1); j < tokens.length && tokens[j] !== "machine" && tokens[j] !== "default"; j += 2) {
      if (tokens[j] === "login") entry.login = tokens[j + 1] ?? "";
      if (tokens[j] === "password") entry.password = tokens[j + 1] ?? "";
    }
    if (name === hostname) return entry;
    if (!isMachine) fallback = entry;
  }
  return fallback;
}
