import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { ConfigError, errorMessage } from "../core/errors.js";
import type { CollectorOptions } from "./collector-options.js";
import { sqlitePathOf } from "./store/create-store.js";

/**
 * Where the installation's redaction salt lives: beside the SQLite file (`<db>.redaction-salt`);
 * for ClickHouse (or an in-memory SQLite) beside the blob folder (`<blob-dir>.redaction-salt`),
 * which several collectors already share, so replicas of one installation find one salt there.
 */
export function redactionSaltPath(options: Pick<CollectorOptions, "store" | "blobDir">): string {
  const db = sqlitePathOf(options.store);
  if (db !== undefined && db !== "" && db !== ":memory:") return `${db}.redaction-salt`;
  return `${path.resolve(options.blobDir)}.redaction-salt`;
}

export interface RedactionSaltFile {
  file: string;
  salt: string;
  /** Made now (the first start). */
  created: boolean;
  /** Group or others may read it. */
  loose: boolean;
}

/**
 * Reads the salt file, making it on first use: 32 random bytes as hex, mode 0600, written to a
 * temporary file and linked into place, so two collectors starting at once agree on one salt
 * and nobody reads a half-written one.
 */
export function ensureRedactionSalt(file: string): RedactionSaltFile {
  const existing = readSalt(file);
  if (existing !== undefined) return { file, salt: existing, created: false, loose: isLoose(file) };
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const salt = randomBytes(32).toString("hex");
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, `${salt}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  let created = true;
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw new ConfigError(`cannot create the redaction salt file ${file}: ${errorMessage(err)}`, { cause: err });
    created = false; // another collector made it first: theirs is the installation's
  } finally {
    unlinkSync(tmp);
  }
  const salt2 = readSalt(file);
  if (salt2 === undefined) throw new ConfigError(`the redaction salt file ${file} is empty`);
  return { file, salt: salt2, created, loose: isLoose(file) };
}

function readSalt(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigError(`cannot read the redaction salt file ${file}: ${errorMessage(err)}`, { cause: err });
  }
  const salt = text.split("\n")[0]?.trim() ?? "";
  if (salt === "") throw new ConfigError(`the redaction salt file ${file} is empty: remove it to have a new salt made (see "Rotating the salt")`);
  return salt;
}

function isLoose(file: string): boolean {
  try {
    return (statSync(file).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}
