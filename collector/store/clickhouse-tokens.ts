import { ConflictError } from "../../core/errors.js";
import type { ClickHouseDatabase } from "./clickhouse-database.js";
import { quoteClickHouseString as q } from "./quote-clickhouse-string.js";
import { toToken } from "./sqlite-tokens.js";
import type { StoredToken } from "./store.js";

const COLUMNS = "id, name, role, secret_sha256, created_unix_ms, expires_unix_ms, revoked_unix_ms";
// Each id's latest row (a revocation is a newer row); every replica reads the same table.
const LATEST = `argMax((${COLUMNS}), version)`;

/** The ClickHouse store's token table: rows are added, never changed; the newest version of an id wins. */
export class ClickHouseTokens {
  constructor(private readonly db: ClickHouseDatabase) {}

  async create(t: StoredToken): Promise<void> {
    if (await this.get(t.id)) throw new ConflictError(`token ${t.id} already exists`);
    await this.write(t, 1);
  }

  async get(id: string): Promise<StoredToken | undefined> {
    const rows = await this.latest(`WHERE id = ${q(id)}`);
    return rows[0];
  }

  list(): Promise<StoredToken[]> {
    return this.latest("");
  }

  async revokeAt(id: string, atUnixMs: number): Promise<boolean> {
    const held = await this.get(id);
    if (!held) return false;
    if (held.revokedUnixMs !== null) return true;
    // A version above any earlier row's: the revocation is what every reader sees from now on.
    await this.write({ ...held, revokedUnixMs: atUnixMs }, Date.now() + 1);
    return true;
  }

  private async write(t: StoredToken, version: number): Promise<void> {
    await this.db.insert("tokens", [
      {
        id: t.id,
        version,
        name: t.name,
        role: t.role,
        secret_sha256: t.secretSha256,
        created_unix_ms: t.createdUnixMs,
        expires_unix_ms: t.expiresUnixMs,
        revoked_unix_ms: t.revokedUnixMs,
      },
    ]);
  }

  private async latest(where: string): Promise<StoredToken[]> {
    type Row = { t: [string, string, string, string, string | number, string | number | null, string | number | null] };
    const rows = await this.db.rows<Row>(`SELECT ${LATEST} AS t FROM ${this.db.table("tokens")} ${where} GROUP BY id`);
    return rows
      .map(({ t }) =>
        toToken({
          id: t[0],
          name: t[1],
          role: t[2],
          secret_sha256: t[3],
          created_unix_ms: Number(t[4]),
          expires_unix_ms: t[5] === null ? null : Number(t[5]),
          revoked_unix_ms: t[6] === null ? null : Number(t[6]),
        }),
      )
      .sort((a, b) => b.createdUnixMs - a.createdUnixMs || a.id.localeCompare(b.id));
  }
}
