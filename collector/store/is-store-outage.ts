import { SnaptrailError } from "../../core/errors.js";

// SQLite result codes that say the database cannot take writes right now (locked by another
// process, disk full or failing, file gone or read-only), whatever the events are.
const SQLITE_OUTAGE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|NOMEM|INTERRUPT|NOLFS|AUTH|NOTADB|CORRUPT)/;
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ENOTFOUND", "ENOSPC", "EDQUOT", "EIO", "EMFILE", "ENFILE"]);

/**
 * Whether a failed store call means "the store is unavailable" (down, unreachable, locked, full,
 * misconfigured: nothing would be stored right now) rather than "the store cannot take these
 * events". Ingest retries the first without blaming the events; only the second may end in a
 * dead letter. Anything not recognised as an outage counts against the events, so a poison event
 * is bounded, never retried forever. Walks the cause chain: errors arrive wrapped.
 * Limit: an error the store reports as transient that one event alone triggers every time (say
 * ClickHouse's memory limit, code 241, on a giant snapshot) is taken for an outage, so NATS
 * ingest on that collector holds it, and its batch, until an operator steps in (logged).
 */
export function isStoreOutage(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof SnaptrailError) {
      // BAD_CONFIG: wrong credentials or a dropped database stop every write, not this event's.
      if (e.code === "UNAVAILABLE" || e.code === "BAD_CONFIG") return true;
      if (e.code === "INTERNAL" || e.code === "BAD_INPUT" || e.code === "TOO_LARGE") continue;
    }
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (SQLITE_OUTAGE.test(code) || NETWORK.has(code))) return true;
    // better-sqlite3 after close(): the collector is shutting the store down.
    if (e instanceof TypeError && /database connection is not open/i.test(e.message)) return true;
  }
  return false;
}
