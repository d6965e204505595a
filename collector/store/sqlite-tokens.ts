import type Sqlite from "better-sqlite3";
import { isRole } from "../../core/auth/roles.js";
import { InternalError } from "../../core/errors.js";
import type { StoredToken } from "./store.js";

interface TokenRow {
  id: string;
  name: string;
  role: string;
  secret_sha256: string;
  created_unix_ms: number;
  expires_unix_ms: number | null;
  revoked_unix_ms: number | null;
}

/** The SQLite store's token table (migration 4). */
export class SqliteTokens {
  private readonly insert: Sqlite.Statement<[string, string, string, string, number, number | null]>;
  private readonly byId: Sqlite.Statement<[string], TokenRow>;
  private readonly all: Sqlite.Statement<[], TokenRow>;
  private readonly revoke: Sqlite.Statement<[number, string]>;

  constructor(db: Sqlite.Database) {
    this.insert = db.prepare(
      "INSERT INTO tokens (id, name, role, secret_sha256, created_unix_ms, expires_unix_ms) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.byId = db.prepare("SELECT * FROM tokens WHERE id = ?");
    this.all = db.prepare("SELECT * FROM tokens ORDER BY created_unix_ms DESC, id");
    // The first revocation time stays: revoking again changes nothing on record.
    this.revoke = db.prepare("UPDATE tokens SET revoked_unix_ms = coalesce(revoked_unix_ms, ?) WHERE id = ?");
  }

  create(t: StoredToken): void {
    this.insert.run(t.id, t.name, t.role, t.secretSha256, t.createdUnixMs, t.expiresUnixMs);
  }

  get(id: string): StoredToken | undefined {
    const row = this.byId.get(id);
    return row ? toToken(row) : undefined;
  }

  list(): StoredToken[] {
    return this.all.all().map(toToken);
  }

  revokeAt(id: string, atUnixMs: number): boolean {
    return this.revoke.run(atUnixMs, id).changes > 0;
  }
}

export function toToken(row: TokenRow): StoredToken {
  if (!isRole(row.role)) throw new InternalError(`token ${row.id} has an unknown role "${row.role}" on record`);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    secretSha256: row.secret_sha256,
    createdUnixMs: Number(row.created_unix_ms),
    expiresUnixMs: row.expires_unix_ms === null ? null : Number(row.expires_unix_ms),
    revokedUnixMs: row.revoked_unix_ms === null ? null : Number(row.revoked_unix_ms),
  };
}
