import { isSecretName, looksLikeSecret } from "./redact.js";
import { stripUrlCredentials } from "./strip-url-credentials.js";

/** What stands in a stored URL where a query parameter's secret was. */
export const REDACTED_PARAMETER = "REDACTED";

/**
 * A URL that is stored as configuration (a package index, find-links): without its userinfo, and
 * with every query parameter whose name or value says secret (`?api_key=...`, `?token=...`, a
 * high-entropy value) replaced, so nothing of the secret is kept. No salted marker: the value is
 * read back to install from, and the restoring host brings its own credentials.
 */
export function stripUrlSecrets(url: string): string {
  const stripped = stripUrlCredentials(url);
  if (!stripped.includes("?")) return stripped;
  let parsed: URL;
  try {
    parsed = new URL(stripped);
  } catch {
    // Not a URL (a local path for find-links): a secret-looking value is still not kept.
    return looksLikeSecret(stripped) ? stripped.replace(/\?.*$/s, `?${REDACTED_PARAMETER}`) : stripped;
  }
  let changed = false;
  for (const [name, value] of [...parsed.searchParams]) {
    if (value !== REDACTED_PARAMETER && (isSecretName(name) || looksLikeSecret(value))) {
      parsed.searchParams.set(name, REDACTED_PARAMETER);
      changed = true;
    }
  }
  return changed ? parsed.toString() : stripped;
}
