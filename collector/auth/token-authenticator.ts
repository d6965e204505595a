import { parseApiToken, secretMatches } from "../../core/auth/api-token.js";
import type { Role } from "../../core/auth/roles.js";
import { UnauthenticatedError } from "../../core/errors.js";
import type { Store, StoredToken } from "../store/store.js";

export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
}

export interface TokenAuthenticatorOptions {
  /**
   * How long a token record read from the store is trusted before it is read again: the bound
   * on how late a revocation (made on any replica) takes effect here.
   */
  cacheMs: number;
  now?: () => number;
}

/** Token records kept at most; beyond it the cache starts over (a flood of random ids cannot grow it). */
const MAX_CACHED = 10_000;

/**
 * Checks `Authorization: Bearer <token>` against the store's token records. Every refusal is
 * the same UNAUTHENTICATED with a reason that names no secret: missing, malformed, unknown,
 * wrong secret, expired, revoked. Records are cached for `cacheMs`, misses included, so one
 * request costs at most one store read per token and interval.
 */
export class TokenAuthenticator {
  private readonly cache = new Map<string, { token: StoredToken | undefined; readAt: number }>();
  private readonly now: () => number;

  constructor(
    private readonly store: Pick<Store, "getToken">,
    private readonly options: TokenAuthenticatorOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization.trim() === "") {
      throw new UnauthenticatedError("no token: send Authorization: Bearer <token> (snaptrail token create)");
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const parsed = m ? parseApiToken(m[1]!) : undefined;
    if (!parsed) throw new UnauthenticatedError("malformed token: expected Authorization: Bearer snaptrail_<id>_<secret>");
    const token = await this.record(parsed.id);
    if (!token || !secretMatches(parsed.secret, token.secretSha256)) throw new UnauthenticatedError(`token ${parsed.id} is not valid`);
    const now = this.now();
    if (token.revokedUnixMs !== null && token.revokedUnixMs <= now) throw new UnauthenticatedError(`token ${token.id} was revoked`);
    if (token.expiresUnixMs !== null && token.expiresUnixMs <= now) throw new UnauthenticatedError(`token ${token.id} has expired`);
    return { tokenId: token.id, name: token.name, role: token.role };
  }

  private async record(id: string): Promise<StoredToken | undefined> {
    const now = this.now();
    const cached = this.cache.get(id);
    if (cached && now - cached.readAt < this.options.cacheMs) return cached.token;
    const token = await this.store.getToken(id);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(id, { token, readAt: now });
    return token;
  }
}
