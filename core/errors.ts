// Errors carry a stable `code` so callers branch on it, never on message text. The codes are
// listed once, here; the type, the guard and the code-to-class table are derived from the list,
// so the collector's HTTP answers, the CLI and the gRPC mapping cannot drift from it.
export const ERROR_CODES = [
  "BAD_CONFIG",
  "BAD_INPUT",
  "NOT_FOUND",
  "UNAVAILABLE",
  "TOO_LARGE",
  "DIGEST_MISMATCH",
  "PYTHON_NOT_FOUND",
  "SPOOL",
  /** A code archive that would write outside its folder, or holds devices or duplicates. */
  "UNSAFE_ARCHIVE",
  /** What was restored does not match the snapshot (file hashes, packages, image digest). */
  "MISMATCH",
  /** Restoring would overwrite someone's work (a dirty clone, a non-empty folder). */
  "CONFLICT",
  /** A host whose key is unknown or differs from the one on record (SSH known_hosts). */
  "UNTRUSTED_HOST",
  /** Credentials were refused or are no longer valid (an SSH key, an expired token). */
  "UNAUTHENTICATED",
  /** Authenticated, but the role does not allow this (an agent token asking for a listing). */
  "FORBIDDEN",
  /** An orchestrator refused a submission (sbatch, slurmrestd, Airflow, KFP), in its own words. */
  "SUBMIT_REFUSED",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** Whether a value (a code read from the wire, say) is one of ours. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && CODES.has(value);
}

/**
 * Every error we throw on purpose. Abstract: each code has its own class below, thrown by name
 * (`new ConfigError(...)`), so `instanceof` and `code` always agree.
 */
export abstract class SnaptrailError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = "SnaptrailError";
  }
}

/** A flag, variable, file or server setting is wrong; nothing works until someone fixes it. */
export class ConfigError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("BAD_CONFIG", message, options);
    this.name = "ConfigError";
  }
}

/** What was sent or asked for is malformed; sending it again will not help. */
export class BadInputError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("BAD_INPUT", message, options);
    this.name = "BadInputError";
  }
}

export class NotFoundError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("NOT_FOUND", message, options);
    this.name = "NotFoundError";
  }
}

/** A server or resource is away or busy for now: try again later. */
export class UnavailableError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("UNAVAILABLE", message, options);
    this.name = "UnavailableError";
  }
}

export class TooLargeError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("TOO_LARGE", message, options);
    this.name = "TooLargeError";
  }
}

/** Bytes whose digest is not the one announced or recorded. */
export class DigestMismatchError extends SnaptrailError {
  /** The digest recorded or announced; absent on an error decoded from the collector's answer. */
  readonly expected: string | undefined;
  /** The digest the bytes really have. */
  readonly actual: string | undefined;
  constructor(message: string, options?: ErrorOptions & { expected?: string; actual?: string }) {
    super("DIGEST_MISMATCH", message, options);
    this.name = "DigestMismatchError";
    this.expected = options?.expected;
    this.actual = options?.actual;
  }
}

/** No Python interpreter fits what the snapshot records. */
export class PythonNotFoundError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("PYTHON_NOT_FOUND", message, options);
    this.name = "PythonNotFoundError";
  }
}

/** The local spool could not keep or read something (unwritable folder, disk full, bound too small). */
export class SpoolError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("SPOOL", message, options);
    this.name = "SpoolError";
  }
}

export class UnsafeArchiveError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("UNSAFE_ARCHIVE", message, options);
    this.name = "UnsafeArchiveError";
  }
}

export class MismatchError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("MISMATCH", message, options);
    this.name = "MismatchError";
  }
}

export class ConflictError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("CONFLICT", message, options);
    this.name = "ConflictError";
  }
}

export class UntrustedHostError extends SnaptrailError {
  /** The key's SHA256 fingerprint, as `ssh-keygen -lf` prints it, for the person deciding to trust it. */
  readonly fingerprint: string | undefined;
  constructor(message: string, options?: ErrorOptions & { fingerprint?: string }) {
    super("UNTRUSTED_HOST", message, options);
    this.name = "UntrustedHostError";
    this.fingerprint = options?.fingerprint;
  }
}

export class UnauthenticatedError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("UNAUTHENTICATED", message, options);
    this.name = "UnauthenticatedError";
  }
}

export class ForbiddenError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("FORBIDDEN", message, options);
    this.name = "ForbiddenError";
  }
}

/** The message holds the orchestrator's own refusal verbatim after a one-line summary. */
export class SubmitRefusedError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("SUBMIT_REFUSED", message, options);
    this.name = "SubmitRefusedError";
  }
}

/** A bug or an answer nobody planned for; the message says where. */
export class InternalError extends SnaptrailError {
  constructor(message: string, options?: ErrorOptions) {
    super("INTERNAL", message, options);
    this.name = "InternalError";
  }
}

// A code without a class here fails to compile.
const CLASS_OF_CODE: { readonly [C in ErrorCode]: new (message: string, options?: ErrorOptions) => SnaptrailError } = {
  BAD_CONFIG: ConfigError,
  BAD_INPUT: BadInputError,
  NOT_FOUND: NotFoundError,
  UNAVAILABLE: UnavailableError,
  TOO_LARGE: TooLargeError,
  DIGEST_MISMATCH: DigestMismatchError,
  PYTHON_NOT_FOUND: PythonNotFoundError,
  SPOOL: SpoolError,
  UNSAFE_ARCHIVE: UnsafeArchiveError,
  MISMATCH: MismatchError,
  CONFLICT: ConflictError,
  UNTRUSTED_HOST: UntrustedHostError,
  UNAUTHENTICATED: UnauthenticatedError,
  FORBIDDEN: ForbiddenError,
  SUBMIT_REFUSED: SubmitRefusedError,
  INTERNAL: InternalError,
};

/** The error of a code known only at run time (read from the wire, or kept while adding context). */
export function errorForCode(code: ErrorCode, message: string, options?: ErrorOptions): SnaptrailError {
  return new CLASS_OF_CODE[code](message, options);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
