import type { FastifyInstance } from "fastify";
import type { SessionInfo } from "../../../core/ui-api-types.js";
import { NO_RESUBMITTER } from "../../resubmit/collector-resubmitter.js";
import type { UiRouteContext } from "./ui-routes.js";

/**
 * GET /api/v1/session: the UI's first call. With --auth tokens it needs any valid token (every
 * role may read-exact), so its 401 is what sends the UI to its sign-in page; the answer names
 * the caller's role, so the UI offers only what that role may do.
 */
export function registerSessionRoutes(app: FastifyInstance, context: UiRouteContext): void {
  app.get("/api/v1/session", (request): SessionInfo => {
    const principal = request.principal;
    return {
      auth: context.authOn ? "tokens" : "none",
      principal: principal ? { tokenId: principal.tokenId, name: principal.name, role: principal.role } : null,
      links: { airflow: context.links?.airflow ?? null, kfp: context.links?.kfp ?? null },
      resubmitKinds: [...(context.resubmitter ?? NO_RESUBMITTER).kinds],
    };
  });
}
