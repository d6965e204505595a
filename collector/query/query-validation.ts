import type { FastifyRequest } from "fastify";
import { HttpError } from "./http-error.js";

// Before and after the route schemas validate a request (fastify-type-provider-zod): the query
// as the schemas take it, and their issues as this API's {code, message, parameter} answers.

/**
 * A repeated query parameter is refused (the parser would hand the schema an array, and it would
 * say "expected string"); an empty one is no filter, as if not given (`?status=` from a form).
 */
export function normaliseQuery(request: FastifyRequest): void {
  if (request.routeOptions.schema?.querystring === undefined) return;
  const query = request.query as Record<string, unknown> | undefined;
  if (typeof query !== "object" || query === null) return;
  for (const key of Object.keys(query)) {
    if (Array.isArray(query[key])) {
      throw new HttpError(400, "BAD_INPUT", `invalid query parameter ${key}: given twice; give it once`, { parameter: key });
    }
    if (query[key] === "") delete query[key];
  }
}

/** What fastify-type-provider-zod puts in `validation`: one entry per zod issue. */
interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: { keys?: string[] };
}

/** The first issue of a failed validation, as the HttpError the API answers with. */
export function validationHttpError(err: { validation: readonly unknown[]; validationContext?: string }, request: FastifyRequest): HttpError {
  const issue = err.validation[0] as ValidationIssue;
  const key = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
  if (err.validationContext === "params") {
    // Path parameter schemas write whole messages ('invalid digest "x": expected ...').
    return new HttpError(400, "BAD_INPUT", issue.message, { parameter: key });
  }
  if (issue.keyword === "unrecognized_keys") {
    return new HttpError(400, "BAD_INPUT", `unknown query parameter ${(issue.params.keys ?? []).join(", ")}`);
  }
  const raw = (request.query ?? {}) as Record<string, unknown>;
  const message = issue.keyword === "invalid_type" && raw[key] === undefined ? "is required" : issue.message;
  return new HttpError(400, "BAD_INPUT", `invalid query parameter ${key}: ${message}`, { parameter: key });
}
