import { type ErrorCode, SnaptrailError, errorMessage } from "../../core/errors.js";

/**
 * Why a store is out: "unreachable" (the network or the server is away), "misconfigured" (every
 * write fails until an operator fixes credentials, the database or the file), "unavailable"
 * (locked, full, overloaded, restarting). All three mean the same to ingest: retry, do not ack,
 * do not blame the events; the kind only words the message.
 */
export type StoreOutageKind = "unreachable" | "misconfigured" | "unavailable";

interface StoreOutageTable {
  snaptrail: Readonly<Partial<Record<ErrorCode, StoreOutageKind>>>;
  system: ReadonlyMap<string, StoreOutageKind>;
  sqlite: ReadonlyMap<string, StoreOutageKind>;
  clickHouse: ReadonlyMap<number, { kind: StoreOutageKind; what: string }>;
}

/**
 * The one table of failures that mean "the store cannot take writes right now, whatever the
 * events are". A failure found nowhere here means "the store answered and refused these events"
 * (a value it cannot take, a bug our SQL hits): that one counts against the events, so a poison
 * event ends in a dead letter instead of being retried forever.
 */
export const STORE_OUTAGE_CODES: StoreOutageTable = {
  /** Our codes, set where a store's error was translated at its boundary. */
  snaptrail: {
    UNAVAILABLE: "unavailable",
    // Wrong credentials or a dropped database stop every write, not this event's.
    BAD_CONFIG: "misconfigured",
  },
  /** Node's and undici's codes: the server cannot be reached, or the local disk or file table is full. */
  system: new Map<string, StoreOutageKind>([
    ["ECONNREFUSED", "unreachable"],
    ["ECONNRESET", "unreachable"],
    ["EPIPE", "unreachable"],
    ["ETIMEDOUT", "unreachable"],
    ["EHOSTUNREACH", "unreachable"],
    ["ENETUNREACH", "unreachable"],
    ["EAI_AGAIN", "unreachable"],
    ["ENOTFOUND", "unreachable"],
    ["UND_ERR_SOCKET", "unreachable"],
    ["ENOSPC", "unavailable"],
    ["EDQUOT", "unavailable"],
    ["EIO", "unavailable"],
    ["EMFILE", "unavailable"],
    ["ENFILE", "unavailable"],
  ]),
  /**
   * SQLite primary result codes (extended ones such as SQLITE_BUSY_TIMEOUT or SQLITE_IOERR_WRITE
   * count as their primary): the file is locked by another process, the disk full or failing, the
   * file gone, read-only or not a database.
   */
  sqlite: new Map<string, StoreOutageKind>([
    ["SQLITE_BUSY", "unavailable"],
    ["SQLITE_LOCKED", "unavailable"],
    ["SQLITE_IOERR", "unavailable"],
    ["SQLITE_FULL", "unavailable"],
    ["SQLITE_PROTOCOL", "unavailable"],
    ["SQLITE_NOMEM", "unavailable"],
    ["SQLITE_INTERRUPT", "unavailable"],
    ["SQLITE_NOLFS", "unavailable"],
    ["SQLITE_CANTOPEN", "misconfigured"],
    ["SQLITE_READONLY", "misconfigured"],
    ["SQLITE_AUTH", "misconfigured"],
    ["SQLITE_NOTADB", "misconfigured"],
    ["SQLITE_CORRUPT", "misconfigured"],
  ]),
  /**
   * ClickHouse server error codes (stable across versions, ErrorCodes.cpp). Limit: a transient
   * code that one event alone triggers every time (MEMORY_LIMIT_EXCEEDED on a giant snapshot) is
   * taken for an outage, so NATS ingest holds that event, and its batch, until an operator steps in
   * (it is logged).
   */
  clickHouse: new Map<number, { kind: StoreOutageKind; what: string }>([
    [81, { kind: "misconfigured", what: "unknown database" }],
    [192, { kind: "misconfigured", what: "unknown user" }],
    [193, { kind: "misconfigured", what: "wrong password" }],
    [194, { kind: "misconfigured", what: "password required" }],
    [195, { kind: "misconfigured", what: "IP address not allowed" }],
    [497, { kind: "misconfigured", what: "not enough privileges" }],
    [516, { kind: "misconfigured", what: "authentication failed" }],
    [159, { kind: "unavailable", what: "timeout exceeded" }],
    [160, { kind: "unavailable", what: "too slow" }],
    [202, { kind: "unavailable", what: "too many simultaneous queries" }],
    [203, { kind: "unavailable", what: "no free connection" }],
    [209, { kind: "unavailable", what: "socket timeout" }],
    [210, { kind: "unavailable", what: "network error" }],
    [241, { kind: "unavailable", what: "memory limit exceeded" }],
    [242, { kind: "unavailable", what: "table is read-only" }],
    [252, { kind: "unavailable", what: "too many parts" }],
    [285, { kind: "unavailable", what: "too few live replicas" }],
    [319, { kind: "unavailable", what: "unknown status of insert" }],
    [394, { kind: "unavailable", what: "query was cancelled" }],
    [999, { kind: "unavailable", what: "keeper exception" }],
  ]),
};

/** How deep to follow `cause`: errors arrive wrapped (ours around the driver's around the socket's). */
const MAX_CAUSE_DEPTH = 6;

/**
 * The ClickHouse error code in an error's fields or message, if any. 18.16 formats it as
 * "Code: 516, e.displayText() = DB::Exception: ..." which the client does not parse, so we do.
 */
export function clickHouseErrorCode(err: unknown): number | undefined {
  const fields = err as { code?: unknown } | undefined;
  if (fields && typeof fields.code === "string" && /^\d+$/.test(fields.code)) return Number(fields.code);
  const match = /\bCode: (\d+)/.exec(errorMessage(err));
  return match ? Number(match[1]) : undefined;
}

function kindOfOne(e: unknown): StoreOutageKind | undefined {
  if (e instanceof SnaptrailError) return STORE_OUTAGE_CODES.snaptrail[e.code];
  // better-sqlite3 after close(): the collector is shutting the store down.
  if (e instanceof TypeError && /database connection is not open/i.test(e.message)) return "unavailable";
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") {
    const sqlite = /^SQLITE_[A-Z]+/.exec(code)?.[0];
    const kind = sqlite === undefined ? STORE_OUTAGE_CODES.system.get(code) : STORE_OUTAGE_CODES.sqlite.get(sqlite);
    if (kind) return kind;
  }
  const clickHouse = clickHouseErrorCode(e);
  return clickHouse === undefined ? undefined : STORE_OUTAGE_CODES.clickHouse.get(clickHouse)?.kind;
}

/**
 * Whether a failed store call is an outage, and of which kind; undefined when the store answered
 * and refused the events. Walks the cause chain: an outage anywhere in it wins.
 */
export function storeOutageKind(err: unknown): StoreOutageKind | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < MAX_CAUSE_DEPTH; e = (e as { cause?: unknown }).cause, depth++) {
    const kind = kindOfOne(e);
    if (kind) return kind;
  }
  return undefined;
}

/**
 * Whether a failed store call means "the store is unavailable" (down, unreachable, locked, full,
 * misconfigured: nothing would be stored right now) rather than "the store cannot take these
 * events". Ingest retries the first without blaming the events (no ack, no dead letter); only the
 * second may end in a dead letter.
 */
export function isStoreOutage(err: unknown): boolean {
  return storeOutageKind(err) !== undefined;
}
