import { ConfigError } from "../core/errors.js";

/**
 * An orchestrator's API address as given on the command line (`--rest`, `--airflow`, `--kfp`):
 * http(s) only, no user or password in it (credentials come from their own files, never from a
 * URL that lands in shell history and process lists), without trailing slashes.
 */
export function orchestratorBaseUrl(flag: string, value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${flag} ${JSON.stringify(value)} is not a URL (expected http://HOST:PORT, ${what})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(`${flag} ${value} must start with http:// or https://`);
  if (url.username !== "" || url.password !== "") throw new ConfigError(`${flag} must not hold credentials: give them in their own file or variable`);
  return value.replace(/\/+$/, "");
}
