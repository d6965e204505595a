import { ConfigError, InternalError, SnaptrailError, UnavailableError, errorMessage } from "../../core/errors.js";
import { STORE_OUTAGE_CODES, clickHouseErrorCode, storeOutageKind } from "./is-store-outage.js";

// @clickhouse/client reports its own request timeout with a message only, no code.
const CLIENT_TIMEOUT = /timeout|socket hang up/i;

/**
 * Maps an error from @clickhouse/client to ours, at the boundary, by the one outage table:
 * connection failures and server-side transient codes are UNAVAILABLE (the collector does not
 * ack; the agent retries), credentials and missing databases are BAD_CONFIG, everything else is
 * INTERNAL with the server's message (a bug in our SQL, never the user's text: filters are quoted).
 */
export function translateClickHouseError(err: unknown, what: string): SnaptrailError {
  if (err instanceof SnaptrailError) return err;
  const code = clickHouseErrorCode(err);
  const serverMessage = errorMessage(err).replace(/, e\.what\(\) = DB::Exception\s*$/, "").trim();
  const kind = code === undefined && CLIENT_TIMEOUT.test(errorMessage(err)) ? "unreachable" : storeOutageKind(err);
  switch (kind) {
    case "unreachable":
      return new UnavailableError(`ClickHouse is not reachable, cannot ${what}: ${errorMessage(err)}`, { cause: err });
    case "misconfigured": {
      const why = code === undefined ? undefined : STORE_OUTAGE_CODES.clickHouse.get(code)?.what;
      return new ConfigError(`ClickHouse refused to ${what}${why ? ` (${why})` : ""}: ${serverMessage}`, { cause: err });
    }
    case "unavailable":
      return new UnavailableError(`ClickHouse cannot ${what} for now: ${serverMessage}`, { cause: err });
    case undefined:
      return new InternalError(`ClickHouse failed to ${what}: ${serverMessage}`, { cause: err });
  }
}
