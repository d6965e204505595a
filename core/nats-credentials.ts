import { readFileSync } from "node:fs";
import { ConfigError, errorMessage } from "./errors.js";

/**
 * Who connects to NATS: a user and a password read from a file (NATS's own authorization then
 * decides what that user may publish and subscribe to: deploy/nats/nats-server.conf). The password
 * comes from a file only, never a flag or the URL, so it stays out of process listings and logs.
 */
export interface NatsCredentials {
  natsUser?: string | undefined;
  natsPasswordFile?: string | undefined;
}

/** The user/pass connect options for nats.js, or none; a password file that cannot be read is a ConfigError naming it. */
export function natsAuthOptions(c: NatsCredentials, setting = "natsPasswordFile"): { user?: string; pass?: string } {
  const user = c.natsUser?.trim();
  const file = c.natsPasswordFile?.trim();
  if (!user && !file) return {};
  if (!user) throw new ConfigError(`${setting} is set but no NATS user: set the user too`);
  if (!file) throw new ConfigError(`a NATS user (${user}) needs a password file (${setting})`);
  let pass: string;
  try {
    pass = readFileSync(file, "utf8").split("\n")[0]?.trim() ?? "";
  } catch (err) {
    throw new ConfigError(`cannot read the NATS password file ${file} (${setting}): ${errorMessage(err)}`, { cause: err });
  }
  if (pass === "") throw new ConfigError(`the NATS password file ${file} (${setting}) is empty`);
  return { user, pass };
}
