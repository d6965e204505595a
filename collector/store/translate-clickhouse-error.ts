import { ConfigError, errorMessage, InternalError, SnaptrailError, UnavailableError } from "../../core/errors.js";

// ClickHouse error codes that mean "the configuration is wrong", not "try again later".
// Numbers are stable across versions (ErrorCodes.cpp); 18.16 formats them as
// "Code: 516, e.displayText() = DB::Exception: ..." which the client does not parse, so we do.
const CONFIG_CODES = new Map<number, string>([
  [81, "unknown database"],
  [192, "unknown user"],
  [193, "wrong password"],
  [194, "password required"],
  [195, "IP address not allowed"],
  [497, "not enough privileges"],
  [516, "authentication failed"],
]);
// Transient on the server side: overload, shutting down, a replica or ZooKeeper away.
const RETRYABLE_CODES = new Set([159, 160, 202, 203, 209, 210, 241, 242, 252, 285, 319, 394, 999]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ENOTFOUND", "UND_ERR_SOCKET"]);

/** The ClickHouse error code in an error's message or fields, if any. */
export function clickHouseErrorCode(err: unknown): number | undefined {
  const fields = err as { code?: unknown } | undefined;
  if (fields && typeof fields.code === "string" && /^\d+$/.test(fields.code)) return Number(fields.code);
  const match = /\bCode: (\d+)/.exec(errorMessage(err));
  return match ? Number(match[1]) : undefined;
}

function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK.has(code)) return code;
  }
  const message = errorMessage(err);
  if (/timeout|socket hang up/i.test(message)) return "TIMEOUT";
  return undefined;
}

/**
 * Maps an error from @clickhouse/client to ours, at the boundary: connection failures and
 * server-side transient codes are UNAVAILABLE (the collector does not ack; the agent retries),
 * credentials and missing databases are BAD_CONFIG, everything else is INTERNAL with the server's
 * message (a bug in our SQL, never the user's text: filters are quoted).
 */
export function translateClickHouseError(err: unknown, what: string): SnaptrailError {
  if (err instanceof SnaptrailError) return err;
  const net = networkCode(err);
  if (net) return new UnavailableError(`ClickHouse is not reachable, cannot ${what}: ${errorMessage(err)}`, { cause: err });
  const code = clickHouseErrorCode(err);
  const serverMessage = errorMessage(err).replace(/, e\.what\(\) = DB::Exception\s*$/, "").trim();
  if (code !== undefined && CONFIG_CODES.has(code)) {
    return new ConfigError(`ClickHouse refused to ${what} (${CONFIG_CODES.get(code)}): ${serverMessage}`, { cause: err });
  }
  if (code !== undefined && RETRYABLE_CODES.has(code)) {
    return new UnavailableError(`ClickHouse cannot ${what} for now: ${serverMessage}`, { cause: err });
  }
  return new InternalError(`ClickHouse failed to ${what}: ${serverMessage}`, { cause: err });
}
