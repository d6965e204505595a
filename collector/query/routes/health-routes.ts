import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { SNAPTRAIL_VERSION } from "../../../core/version.js";
import { sendError } from "../http-error.js";
import { ErrorAnswer } from "../schemas/error-answer.js";
import type { RouteDeps } from "./route-deps.js";

// Probes, without auth and without data: /healthz says the process serves HTTP (liveness),
// /readyz that what it needs answers now (readiness), naming each check and its state only.

const checks = z.record(z.string(), z.string()).describe('Each check by name: "ok" or why not');

export function registerHealthRoutes(app: FastifyInstance, { readiness }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    "/healthz",
    { schema: { tags: ["health"], summary: "Liveness: the process serves HTTP", response: { 200: z.strictObject({ status: z.literal("ok"), version: z.string() }) } } },
    () => ({ status: "ok" as const, version: SNAPTRAIL_VERSION }),
  );
  api.get(
    "/readyz",
    {
      schema: {
        tags: ["health"],
        summary: "Readiness: the store and the blob store answer now",
        response: {
          200: z.strictObject({ status: z.literal("ready"), checks }),
          503: ErrorAnswer.extend({ status: z.literal("not ready"), checks }).describe("Not ready: the failing checks named"),
        },
      },
    },
    async (_request, reply) => {
      const report = await readiness.check();
      if (report.ready) return { status: "ready" as const, checks: report.checks };
      const failing = Object.keys(report.checks).filter((name) => report.checks[name] !== "ok");
      return sendError(reply, 503, "UNAVAILABLE", `not ready: ${failing.map((name) => `${name} ${report.checks[name]}`).join(", ")}`, {
        status: "not ready",
        checks: report.checks,
      });
    },
  );
}
