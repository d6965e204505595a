// A real Store (SQLite in a temp dir or in memory, ClickHouse) that a test makes misbehave on
// chosen methods: fail with a chosen error (always, N times, or only for some arguments), hang,
// or answer late. Every other call, and every call once healed, is the real store's. Calls are
// recorded, so a test can say how often and with what the collector called its store.
import { setTimeout as sleep } from "node:timers/promises";
import type { CacheHit, OutputProducer, RunDetail, RunListPosition, RunQuery, RunSummary } from "../../core/api-types.js";
import type { SnapshotEvent } from "../../core/model.js";
import type { Store, StoreOutcome, StoredSnapshot, StoredToken } from "../../collector/store/store.js";

export type StoreMethod = keyof Store;
type Args<M extends StoreMethod> = Parameters<Store[M]>;
type Result<M extends StoreMethod> = Awaited<ReturnType<Store[M]>>;

type Fault =
  /** `error` picks the calls that fail (undefined: this one goes through); `left` counts down. */
  | { kind: "fail"; error: (...args: never[]) => Error | undefined; left: number }
  | { kind: "hang" }
  | { kind: "delay"; ms: number };

/** What a full disk looks like to the SQLite store (an outage: the batch is retried, never acked). */
export function diskFull(message = "database or disk is full"): Error {
  return Object.assign(new Error(message), { code: "SQLITE_FULL" });
}

export class FaultyStore implements Store {
  private readonly faults = new Map<StoreMethod, Fault>();
  private readonly recorded = new Map<StoreMethod, unknown[]>();
  private readonly hung = new Map<StoreMethod, ((err: Error) => void)[]>();

  constructor(readonly inner: Store) {}

  /**
   * Makes `method` fail with the error `error` returns for a call's arguments (a new one each
   * call; undefined lets that call through), until healed or, with `times`, for that many failures.
   */
  fail<M extends StoreMethod>(method: M, error: (...args: Args<M>) => Error | undefined, options: { times?: number } = {}): this {
    this.faults.set(method, { kind: "fail", error: error as (...args: never[]) => Error | undefined, left: options.times ?? Infinity });
    return this;
  }

  /** Calls of `method` never settle until heal(), which rejects them (a store stuck on a write). */
  hang(method: StoreMethod): this {
    this.faults.set(method, { kind: "hang" });
    return this;
  }

  /** Calls of `method` reach the real store `ms` later (a slow disk or server). */
  delay(method: StoreMethod, ms: number): this {
    this.faults.set(method, { kind: "delay", ms });
    return this;
  }

  /** Removes the faults of these methods (all when none is named) and rejects the calls left hanging. */
  heal(...methods: StoreMethod[]): void {
    for (const method of methods.length > 0 ? methods : [...this.faults.keys(), ...this.hung.keys()]) {
      this.faults.delete(method);
      const hung = this.hung.get(method) ?? [];
      this.hung.delete(method);
      for (const reject of hung) reject(new Error("released"));
    }
  }

  /** The arguments of every call of `method` so far, failed and hung ones too. */
  calls<M extends StoreMethod>(method: M): Args<M>[] {
    return (this.recorded.get(method) ?? []) as Args<M>[];
  }

  append(events: SnapshotEvent[]): Promise<StoreOutcome[]> {
    return this.call("append", [events], () => this.inner.append(events));
  }
  hasSnapshots(digests: string[]): Promise<Set<string>> {
    return this.call("hasSnapshots", [digests], () => this.inner.hasSnapshots(digests));
  }
  getSnapshot(digest: string): Promise<StoredSnapshot | undefined> {
    return this.call("getSnapshot", [digest], () => this.inner.getSnapshot(digest));
  }
  listRuns(query: RunQuery): Promise<RunSummary[]> {
    return this.call("listRuns", [query], () => this.inner.listRuns(query));
  }
  listRunPage(query: RunQuery): Promise<{ runs: RunSummary[]; next: RunListPosition | null }> {
    return this.call("listRunPage", [query], () => this.inner.listRunPage(query));
  }
  getRun(runId: string): Promise<RunDetail | undefined> {
    return this.call("getRun", [runId], () => this.inner.getRun(runId));
  }
  packageVersions(name: string, environmentDigests: string[]): Promise<Map<string, string[]>> {
    return this.call("packageVersions", [name, environmentDigests], () => this.inner.packageVersions(name, environmentDigests));
  }
  findRunIds(prefix: string, limit: number): Promise<string[]> {
    return this.call("findRunIds", [prefix, limit], () => this.inner.findRunIds(prefix, limit));
  }
  findRunsByOutput(digest: string, limit: number): Promise<OutputProducer[]> {
    return this.call("findRunsByOutput", [digest, limit], () => this.inner.findRunsByOutput(digest, limit));
  }
  findCacheHits(cacheKey: string, limit: number): Promise<CacheHit[]> {
    return this.call("findCacheHits", [cacheKey, limit], () => this.inner.findCacheHits(cacheKey, limit));
  }
  createToken(token: StoredToken): Promise<void> {
    return this.call("createToken", [token], () => this.inner.createToken(token));
  }
  getToken(id: string): Promise<StoredToken | undefined> {
    return this.call("getToken", [id], () => this.inner.getToken(id));
  }
  listTokens(): Promise<StoredToken[]> {
    return this.call("listTokens", [], () => this.inner.listTokens());
  }
  revokeToken(id: string, atUnixMs: number): Promise<boolean> {
    return this.call("revokeToken", [id, atUnixMs], () => this.inner.revokeToken(id, atUnixMs));
  }
  ping(): Promise<void> {
    return this.call("ping", [], () => this.inner.ping());
  }
  close(): Promise<void> {
    return this.call("close", [], () => this.inner.close());
  }

  private async call<M extends StoreMethod>(method: M, args: Args<M>, real: () => Promise<Result<M>>): Promise<Result<M>> {
    let list = this.recorded.get(method);
    if (!list) this.recorded.set(method, (list = []));
    list.push(args);
    const fault = this.faults.get(method);
    if (fault?.kind === "hang") {
      return new Promise<never>((_, reject) => {
        const hung = this.hung.get(method) ?? [];
        this.hung.set(method, [...hung, reject]);
      });
    }
    if (fault?.kind === "delay") await sleep(fault.ms);
    if (fault?.kind === "fail") {
      const err = (fault.error as (...a: Args<M>) => Error | undefined)(...args);
      if (err) {
        if (--fault.left <= 0) this.faults.delete(method);
        throw err;
      }
    }
    return real();
  }
}
