import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ROLES } from "../../core/auth/roles.js";
import { createApiToken, describeToken, revokeApiToken } from "../auth/manage-tokens.js";
import type { Store } from "../store/store.js";

// Token administration over HTTP for admins (permission "tokens" in HTTP_ROUTE_PERMISSIONS):
// what `snaptrail token` does on the collector's host, for a collector reached from elsewhere.
// The same functions, so a token made here is made as there: hashed, shown once.

const createBody = z.strictObject({
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }),
  name: z.string().max(200, "at most 200 characters").optional(),
  /** Lifetime in milliseconds from now; absent: no expiry. */
  expiresInMs: z.number().int("must be a whole number of milliseconds").positive("must be positive").max(10 * 366 * 24 * 3600 * 1000, "at most ten years").optional(),
});

/** A body that is not what createBody takes, as a 400 naming the field. */
class TokenBodyError extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = "TokenBodyError";
  }
}

export function registerTokenRoutes(app: FastifyInstance, store: Store): void {
  app.get("/api/v1/tokens", async () => {
    const now = Date.now();
    return { tokens: (await store.listTokens()).map((t) => describeToken(t, now)) };
  });

  app.post("/api/v1/tokens", async (request, reply) => {
    const parsed = createBody.safeParse(request.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".") || "body";
      throw new TokenBodyError(issue.code === "unrecognized_keys" ? `unknown field ${field} (role, name, expiresInMs)` : `invalid field ${field}: ${issue.message}`);
    }
    const { token, record } = await createApiToken(store, {
      role: parsed.data.role,
      ...(parsed.data.name !== undefined ? { name: parsed.data.name } : {}),
      ...(parsed.data.expiresInMs !== undefined ? { expiresInMs: parsed.data.expiresInMs } : {}),
    });
    // Shown this once: the store keeps only its hash.
    return reply.code(201).header("cache-control", "no-store").send({ token, ...describeToken(record) });
  });

  app.delete<{ Params: { id: string } }>("/api/v1/tokens/:id", async (request) => ({ revoked: await revokeApiToken(store, request.params.id) }));
}
