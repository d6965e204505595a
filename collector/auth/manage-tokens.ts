import { newApiToken } from "../../core/auth/api-token.js";
import { isRole, ROLES, type Role } from "../../core/auth/roles.js";
import { BadInputError, NotFoundError } from "../../core/errors.js";
import type { Store, StoredToken } from "../store/store.js";

export interface NewToken {
  /** The token itself: shown once, never stored. */
  token: string;
  record: StoredToken;
}

/** Makes a token of `role`, stores its hash and returns the token (the only time it exists in full). */
export async function createApiToken(store: Pick<Store, "createToken">, o: { role: string; name?: string; expiresInMs?: number; now?: number }): Promise<NewToken> {
  if (!isRole(o.role)) throw new BadInputError(`unknown role "${o.role}": one of ${ROLES.join(", ")}`);
  const role: Role = o.role;
  const name = (o.name ?? "").trim();
  if (name.length > 200) throw new BadInputError("a token name is at most 200 characters");
  if (o.expiresInMs !== undefined && (!Number.isFinite(o.expiresInMs) || o.expiresInMs <= 0)) throw new BadInputError("a token's lifetime must be positive");
  const now = o.now ?? Date.now();
  const { token, id, secretSha256 } = newApiToken();
  const record: StoredToken = {
    id,
    name: name || `${role} token`,
    role,
    secretSha256,
    createdUnixMs: now,
    expiresUnixMs: o.expiresInMs === undefined ? null : now + o.expiresInMs,
    revokedUnixMs: null,
  };
  await store.createToken(record);
  return { token, record };
}

/** Revokes a token by id (or by the whole token, whose id part is used); NOT_FOUND names it. */
export async function revokeApiToken(store: Pick<Store, "revokeToken">, idOrToken: string, now = Date.now()): Promise<string> {
  const id = /^snaptrail_([0-9a-f]{16})_/.exec(idOrToken.trim())?.[1] ?? idOrToken.trim();
  if (!/^[0-9a-f]{16}$/.test(id)) throw new BadInputError(`"${idOrToken.slice(0, 40)}" is not a token id (16 hex characters, as \`snaptrail token list\` shows)`);
  if (!(await store.revokeToken(id, now))) throw new NotFoundError(`no token ${id}`);
  return id;
}

/** A token record as shown to admins: never the hash. */
export function describeToken(t: StoredToken, now = Date.now()): { id: string; name: string; role: Role; created: string; expires: string | null; revoked: string | null; state: "active" | "expired" | "revoked" } {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const state = t.revokedUnixMs !== null && t.revokedUnixMs <= now ? "revoked" : t.expiresUnixMs !== null && t.expiresUnixMs <= now ? "expired" : "active";
  return { id: t.id, name: t.name, role: t.role, created: iso(t.createdUnixMs)!, expires: iso(t.expiresUnixMs), revoked: iso(t.revokedUnixMs), state };
}
