import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, errorMessage } from "../../core/errors.js";
import { DEFAULT_REDACT_SALT, LEGACY_REDACT_SALT_ENV } from "./redact.js";

export interface RedactionSalt {
  salt: string;
  /** "default": the public constant, so a marker can be checked offline against guessed secrets. */
  source: "option" | "file" | "default";
}

/**
 * The salt markers are made with: the `redactionSalt` option (SNAPTRAIL_REDACTION_SALT), else the
 * first line of `redactionSaltFile` (SNAPTRAIL_REDACTION_SALT_FILE), else SNAPTRAIL_REDACT_SALT
 * (its older name), else the public default. A salt file that cannot be read is a ConfigError:
 * falling back to the public salt would quietly undo what the site asked for.
 */
export function resolveRedactionSalt(options: { redactionSalt?: string | undefined; redactionSaltFile?: string | undefined }, env: NodeJS.ProcessEnv): RedactionSalt {
  if (options.redactionSalt !== undefined && options.redactionSalt !== "") return { salt: options.redactionSalt, source: "option" };
  if (options.redactionSaltFile !== undefined && options.redactionSaltFile !== "") {
    let text: string;
    try {
      text = readFileSync(options.redactionSaltFile, "utf8");
    } catch (err) {
      throw new ConfigError(`cannot read the redaction salt file ${options.redactionSaltFile} (redactionSaltFile): ${errorMessage(err)}`, { cause: err });
    }
    const salt = text.split("\n")[0]?.trim() ?? "";
    if (salt === "") throw new ConfigError(`the redaction salt file ${options.redactionSaltFile} (redactionSaltFile) is empty`);
    return { salt, source: "file" };
  }
  const legacy = env[LEGACY_REDACT_SALT_ENV];
  if (legacy !== undefined && legacy !== "") return { salt: legacy, source: "option" };
  return { salt: DEFAULT_REDACT_SALT, source: "default" };
}

/** In the spool folder: the default-salt warning was given for this spool. */
export const DEFAULT_SALT_WARNED_FILE = ".default-salt-warned";

export const DEFAULT_SALT_WARNING =
  "secrets in this run were redacted with the public default salt, so their markers can be checked against guessed secrets; " +
  "set SNAPTRAIL_REDACTION_SALT_FILE (or SNAPTRAIL_REDACTION_SALT) to the collector's salt (`snaptrail collector redaction-salt`). " +
  "Said once per spool";

/**
 * Whether the default-salt warning is still due for this spool, marking it given. Once per spool
 * (not per job): a site that has not set a salt yet hears it, without every job repeating it.
 * Without a spool folder there is nowhere to remember it, so it is said every time.
 */
export function defaultSaltWarningDue(spoolDir: string | undefined): boolean {
  if (spoolDir === undefined) return true;
  const marker = path.join(spoolDir, DEFAULT_SALT_WARNED_FILE);
  try {
    mkdirSync(spoolDir, { recursive: true, mode: 0o700 });
    writeFileSync(marker, "", { flag: "wx", mode: 0o600 });
    return true;
  } catch (err) {
    // EEXIST: said before. Anything else (a read-only spool): say it rather than stay silent.
    return (err as NodeJS.ErrnoException).code !== "EEXIST";
  }
}
