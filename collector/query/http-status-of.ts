import type { ErrorCode } from "../../core/errors.js";

/**
 * The HTTP status each of our codes answers with, in one table so that a new code must be given
 * one (the type demands every code). Only the caller's own mistakes are 4xx; an error the
 * collector met while doing its work (a digest mismatch in the store, a spool, a restore check)
 * is a 500 for the caller, who could not have sent anything better.
 */
const HTTP_STATUS_OF_CODE: { readonly [C in ErrorCode]: number } = {
  BAD_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  UNAVAILABLE: 503,
  BAD_CONFIG: 500,
  TOO_LARGE: 500,
  DIGEST_MISMATCH: 500,
  PYTHON_NOT_FOUND: 500,
  SPOOL: 500,
  UNSAFE_ARCHIVE: 500,
  MISMATCH: 500,
  CONFLICT: 500,
  UNTRUSTED_HOST: 500,
  SUBMIT_REFUSED: 500,
  INTERNAL: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS_OF_CODE[code];
}
