import { z } from "zod";

/** Every error answer: {code, message}, plus details such as `parameter` or `candidates`. */
export const ErrorAnswer = z
  .looseObject({
    code: z.string().describe("BAD_INPUT, NOT_FOUND, AMBIGUOUS, UNAUTHENTICATED, FORBIDDEN, URI_TOO_LONG, UNAVAILABLE, INTERNAL, ..."),
    message: z.string().describe("What was wrong, for a person"),
    parameter: z.string().optional().describe("The query or path parameter at fault"),
    candidates: z.array(z.string()).optional().describe("AMBIGUOUS: run ids the prefix matches (at most 10)"),
  })
  .meta({ id: "Error" });

/** The error answers of a route by status, with what each means there. */
export function errorAnswers<S extends number>(statuses: Readonly<Record<S, string>>): Record<S, typeof ErrorAnswer> {
  const out = {} as Record<S, typeof ErrorAnswer>;
  for (const status of Object.keys(statuses).map(Number) as S[]) out[status] = ErrorAnswer.describe(statuses[status]);
  return out;
}

/** 401 and 403: only when the collector runs with --auth tokens. */
export const AUTH_ERRORS = {
  401: "No valid token (the collector runs with --auth tokens)",
  403: "The token's role may not do this",
} as const;

/** Errors every query route may answer. */
export const QUERY_ERRORS = {
  ...AUTH_ERRORS,
  400: "A bad parameter (named in `parameter`), an unknown one, or one given twice",
  431: "The request line and headers are over the server's size limit (16 KiB)",
  503: "The store cannot answer now",
} as const;

/** Errors of a route with a path parameter: the router's own answers too. */
export const PATH_ERRORS = {
  ...QUERY_ERRORS,
  400: "A bad parameter (named in `parameter`), or a path that is not valid percent-encoding",
  414: "A path segment over 8192 characters",
} as const;
