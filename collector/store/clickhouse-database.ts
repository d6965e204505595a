import type { ClickHouseClient } from "@clickhouse/client";
import { quoteClickHouseStrings as qList } from "./quote-clickhouse-string.js";

/** The client bound to one database: what the ClickHouse store's write and read paths share. */
export class ClickHouseDatabase {
  constructor(
    readonly client: ClickHouseClient,
    readonly name: string,
  ) {}

  table(table: string): string {
    return `${this.name}.${table}`;
  }

  async rows<T>(query: string): Promise<T[]> {
    const result = await this.client.query({ query, format: "JSONEachRow" });
    return result.json<T>();
  }

  /** JSONEachRow: values need no escaping. Nothing to insert is no request at all. */
  async insert(table: string, values: object[]): Promise<void> {
    if (values.length === 0) return;
    await this.client.insert({ table: this.table(table), values, format: "JSONEachRow" });
  }

  /** The subset of these snapshot digests that is stored: hasSnapshots, and which bodies a batch must still write. */
  async storedDigests(digests: Iterable<string>): Promise<Set<string>> {
    const wanted = new Set(digests);
    const present = new Set<string>();
    if (wanted.size === 0) return present;
    for (const row of await this.rows<{ digest: string }>(`SELECT DISTINCT digest FROM ${this.table("snapshots")} WHERE digest IN ${qList(wanted)}`)) {
      present.add(row.digest);
    }
    return present;
  }
}
