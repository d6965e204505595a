// Errors carry a stable `code` so callers branch on it, never on message text.
export type ErrorCode =
  | "BAD_CONFIG"
  | "BAD_INPUT"
  | "NOT_FOUND"
  | "UNAVAILABLE"
  | "TOO_LARGE"
  | "DIGEST_MISMATCH"
  | "PYTHON_NOT_FOUND"
  | "SPOOL"
  /** A code archive that would write outside its folder, or holds devices or duplicates. */
  | "UNSAFE_ARCHIVE"
  /** What was restored does not match the snapshot (file hashes, packages, image digest). */
  | "MISMATCH"
  /** Restoring would overwrite someone's work (a dirty clone, a non-empty folder). */
  | "CONFLICT"
  | "INTERNAL";

export class SnaptrailError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = "SnaptrailError";
  }
}

export class ConfigError extends SnaptrailError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("BAD_CONFIG", message, options);
    this.name = "ConfigError";
  }
}

export class NotFoundError extends SnaptrailError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("NOT_FOUND", message, options);
    this.name = "NotFoundError";
  }
}

export class UnavailableError extends SnaptrailError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("UNAVAILABLE", message, options);
    this.name = "UnavailableError";
  }
}

export class TooLargeError extends SnaptrailError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TOO_LARGE", message, options);
    this.name = "TooLargeError";
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
