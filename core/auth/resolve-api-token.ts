import { readFileSync } from "node:fs";
import { ConfigError, errorMessage } from "../errors.js";

export const TOKEN_ENV = "SNAPTRAIL_TOKEN";
export const TOKEN_FILE_ENV = "SNAPTRAIL_TOKEN_FILE";

/**
 * The API token a client sends to the collector: given directly, else the first line of a file
 * (the way to keep it off command lines and out of process listings), else none. An unreadable
 * file is a ConfigError naming it: sending no token would only trade it for a 401.
 */
export function resolveApiToken(o: { token?: string | undefined; tokenFile?: string | undefined }): string | undefined {
  const direct = o.token?.trim();
  if (direct) return direct;
  const file = o.tokenFile?.trim();
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the API token file ${file} (${TOKEN_FILE_ENV}): ${errorMessage(err)}`, { cause: err });
  }
  const token = text.split("\n")[0]?.trim() ?? "";
  if (token === "") throw new ConfigError(`the API token file ${file} (${TOKEN_FILE_ENV}) is empty`);
  return token;
}

/** The token named by SNAPTRAIL_TOKEN or SNAPTRAIL_TOKEN_FILE. */
export function apiTokenFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return resolveApiToken({ token: env[TOKEN_ENV], tokenFile: env[TOKEN_FILE_ENV] });
}

/** `{ token }` for a client's options when one is configured, else nothing (the client reads the env). */
export function tokenOption(o: { token?: string | undefined; tokenFile?: string | undefined }): { token?: string } {
  const token = resolveApiToken(o);
  return token ? { token } : {};
}
