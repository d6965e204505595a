import type { z } from "zod";
import { BadInputError } from "../../../core/errors.js";

/**
 * A Query request's fields, as the HTTP query or path would carry them (text), through the HTTP
 * route's own schema: the same bounds, the same checks, the same messages. A field that is
 * empty, zero or an unspecified enum is left out, as an empty query parameter is no filter.
 * `fields` names each schema key as the request message spells it ("filters.since_unix_ms"), so
 * INVALID_ARGUMENT says which field to fix.
 */
export function parseGrpcRequest<S extends z.ZodType>(schema: S, raw: Readonly<Record<string, string | undefined>>, fields: Readonly<Record<string, string>> = {}): z.output<S> {
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) if (value !== undefined && value !== "") given[key] = value;
  const result = schema.safeParse(given);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? "");
  const field = fields[key] ?? key;
  const message = issue === undefined ? "is not valid" : issue.code === "invalid_type" && given[key] === undefined ? "is required" : issue.message;
  // Path schemas write whole messages ('invalid digest "x": expected sha256:...').
  throw new BadInputError(message.startsWith("invalid ") ? `${message} (field ${field})` : `invalid ${field}: ${message}`);
}

/** An enum field as text, or undefined for its zero value (no filter). */
export function enumText(value: string | number | null | undefined, unspecified: string): string | undefined {
  if (value === null || value === undefined || value === unspecified || value === 0) return undefined;
  return String(value);
}

/** A number field as text, or undefined for zero (not given). */
export function numberText(value: number | string | null | undefined): string | undefined {
  return value === null || value === undefined || Number(value) === 0 ? undefined : String(value);
}
