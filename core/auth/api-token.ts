import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// An API token is `snaptrail_<id>_<secret>`: the id (16 hex) names the stored record and may be
// shown and logged; the secret (32 random bytes, base64url) is shown once, at creation, and only
// its SHA-256 is stored. A slow password hash would add nothing: the secret is random and long.

const TOKEN = /^snaptrail_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ParsedToken {
  id: string;
  secret: string;
}

export function newApiToken(): { token: string; id: string; secretSha256: string } {
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { token: `snaptrail_${id}_${secret}`, id, secretSha256: sha256Hex(secret) };
}

/** The parts of a well-formed token, or undefined: the caller answers 401 without saying more. */
export function parseApiToken(text: string): ParsedToken | undefined {
  const m = TOKEN.exec(text.trim());
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** Whether `secret` hashes to the stored hash, compared in constant time. */
export function secretMatches(secret: string, storedSha256Hex: string): boolean {
  const actual = Buffer.from(sha256Hex(secret), "hex");
  const stored = Buffer.from(storedSha256Hex, "hex");
  return actual.length === stored.length && timingSafeEqual(actual, stored);
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
