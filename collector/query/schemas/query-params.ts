import { z } from "zod";
import type { RunListPosition } from "../../../core/api-types.js";
import { DIGEST_PATTERN } from "../../../core/digest.js";
import { errorMessage } from "../../../core/errors.js";
import { MAX_LIST_LIMIT } from "../../store/list-limit.js";
import { versionMatcher } from "../../store/package-match.js";

// Query and path parameters, parsed by the route schemas (fastify-type-provider-zod's validator)
// and described by the same schemas in the OpenAPI document. A query value given twice and an
// empty value are handled before these run (http-api.ts): an empty value is no filter.

export const textParam = z.string().max(1000).optional();

export const limitParam = z.coerce
  .number({ error: "must be a positive integer" })
  .int({ error: "must be a positive integer" })
  .min(1, { error: "must be a positive integer" })
  .max(MAX_LIST_LIMIT, { error: `must be at most ${MAX_LIST_LIMIT}` })
  .optional()
  .describe(`How many to answer, at most ${MAX_LIST_LIMIT}`);

/** An ISO 8601 time (with a zone, or UTC) or unix milliseconds, as unix milliseconds. */
export const timeParam = z
  .string()
  .transform((text, ctx) => {
    const ms = /^[0-9]+$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
    if (!Number.isSafeInteger(ms)) {
      ctx.addIssue({ code: "custom", message: "must be an ISO 8601 time (2026-05-01T12:00:00Z) or unix milliseconds" });
      return z.NEVER;
    }
    return ms;
  })
  .optional();

/** A cursor is opaque to clients: base64url of [sortUnixMs, runId]. */
export function encodeCursor(position: RunListPosition): string {
  return Buffer.from(JSON.stringify([position.sortUnixMs, position.runId])).toString("base64url");
}

function decodeCursor(cursor: string): RunListPosition | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === "string") {
      return { sortUnixMs: value[0] as number, runId: value[1] };
    }
  } catch {
    // answered below
  }
  return undefined;
}

export const cursorParam = z
  .string()
  .max(20_000)
  .transform((text, ctx) => {
    const position = decodeCursor(text);
    if (position) return position;
    ctx.addIssue({ code: "custom", message: "not a cursor this API gave out (pass nextCursor back unchanged)" });
    return z.NEVER;
  })
  .optional()
  .describe("The nextCursor of the previous page, unchanged, with the same filters");

/** A sha256 digest in a path (a snapshot, a blob, a cache key): the message names what it is. */
export function digestParam(what: string) {
  return z
    .string()
    .regex(DIGEST_PATTERN, { error: (issue) => `invalid ${what} "${String(issue.input).slice(0, 80)}": expected sha256:<64 lowercase hex>` })
    .describe("sha256:<64 lowercase hex>");
}

export const environmentParam = z
  .string()
  .regex(DIGEST_PATTERN, { error: "expected sha256:<64 lowercase hex>" })
  .optional()
  .describe("Only runs whose environment snapshot has this digest");

/** A package version or PEP 440 specifier; checked here so a bad one is a 400 naming `version`. */
export const versionParam = z
  .string()
  .max(1000)
  .superRefine((text, ctx) => {
    try {
      versionMatcher(text);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: errorMessage(err) });
    }
  })
  .optional()
  .describe('An exact version ("2.7.1") or a PEP 440 specifier (">=2,<3", "~=1.10")');

export const statusParam = z.enum(["running", "succeeded", "failed"]).optional();
export const orchestratorParam = z.enum(["LOCAL", "AIRFLOW", "KUBEFLOW", "SLURM"]).optional();
