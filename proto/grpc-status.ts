import type * as grpc from "@grpc/grpc-js";
import type { ErrorCode } from "../core/errors.js";

/**
 * grpc-js's status constants. Passed in by the caller that loaded grpc-js (lazily), so this table
 * costs nothing to import; the names below are checked against grpc-js's own enum.
 */
export type GrpcStatuses = typeof grpc.status;
type StatusName = keyof GrpcStatuses;

/** The gRPC status each of our codes travels as. */
const STATUS_OF_CODE: { readonly [C in ErrorCode]: StatusName } = {
  BAD_CONFIG: "FAILED_PRECONDITION",
  BAD_INPUT: "INVALID_ARGUMENT",
  NOT_FOUND: "NOT_FOUND",
  UNAVAILABLE: "UNAVAILABLE",
  TOO_LARGE: "RESOURCE_EXHAUSTED",
  DIGEST_MISMATCH: "INVALID_ARGUMENT",
  PYTHON_NOT_FOUND: "FAILED_PRECONDITION",
  SPOOL: "INTERNAL",
  UNSAFE_ARCHIVE: "INVALID_ARGUMENT",
  MISMATCH: "FAILED_PRECONDITION",
  CONFLICT: "FAILED_PRECONDITION",
  UNTRUSTED_HOST: "FAILED_PRECONDITION",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "PERMISSION_DENIED",
  SUBMIT_REFUSED: "FAILED_PRECONDITION",
  INTERNAL: "INTERNAL",
};

/** The gRPC status for one of our codes. */
export function grpcStatusOf(code: ErrorCode, statuses: GrpcStatuses): grpc.status {
  return statuses[STATUS_OF_CODE[code]];
}

/**
 * What a caller of the collector makes of a failed call's status: our code, and whether the same
 * call may succeed later. Statuses not listed are final (UNIMPLEMENTED, PERMISSION_DENIED, ...)
 * and read as UNAVAILABLE: the collector cannot take it, whatever was sent.
 */
const CODE_OF_STATUS: Partial<Record<StatusName, { code: ErrorCode; retryable: boolean }>> = {
  UNAVAILABLE: { code: "UNAVAILABLE", retryable: true },
  CANCELLED: { code: "UNAVAILABLE", retryable: true },
  DEADLINE_EXCEEDED: { code: "UNAVAILABLE", retryable: true },
  ABORTED: { code: "UNAVAILABLE", retryable: true },
  INTERNAL: { code: "UNAVAILABLE", retryable: true },
  INVALID_ARGUMENT: { code: "BAD_INPUT", retryable: false },
  RESOURCE_EXHAUSTED: { code: "TOO_LARGE", retryable: false },
  UNAUTHENTICATED: { code: "UNAUTHENTICATED", retryable: false },
  PERMISSION_DENIED: { code: "FORBIDDEN", retryable: false },
};
const FINAL = { code: "UNAVAILABLE", retryable: false } as const;

/** Our code for a gRPC status a call failed with, and whether trying again may help. */
export function errorCodeOfGrpcStatus(status: number, statuses: GrpcStatuses): { code: ErrorCode; retryable: boolean } {
  const name = (statuses as unknown as Record<number, StatusName | undefined>)[status];
  return (name && CODE_OF_STATUS[name]) || FINAL;
}
