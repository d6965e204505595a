import type { Permission } from "../../core/auth/roles.js";

/** A route anyone may call: it answers without data (health, readiness, the UI's static files). */
export const OPEN = "open" as const;
export type RoutePermission = Permission | typeof OPEN;

/**
 * The permission every HTTP route needs, by `METHOD /path` as registered. The HTTP API refuses
 * to start with an /api/ route missing here, so no route is reachable without a line saying who
 * may call it. Agents get `read-exact`: a run by its exact id (no prefix search), a snapshot,
 * blob or cache entry by digest.
 */
export const HTTP_ROUTE_PERMISSIONS: Readonly<Record<string, RoutePermission>> = {
  "GET /healthz": OPEN,
  "GET /readyz": OPEN,
  // The API's description: no data in it.
  "GET /api/v1/openapi.json": OPEN,
  "GET /api/v1/runs": "query",
  "GET /api/v1/runs/:runId": "read-exact",
  "GET /api/v1/diff": "query",
  "GET /api/v1/snapshots/:digest": "read-exact",
  "GET /api/v1/outputs/:digest": "query",
  "GET /api/v1/cache/:key": "read-exact",
  "GET /api/v1/blobs/:digest": "read-exact",
  "GET /api/v1/packages/:name/runs": "query",
  "GET /api/v1/timeline": "query",
  "GET /api/v1/tokens": "tokens",
  "POST /api/v1/tokens": "tokens",
  "DELETE /api/v1/tokens/:id": "tokens",
  // The web UI's routes (collector/query/routes/): any valid token may ask who it is (the UI's
  // sign-in check); files and dry runs are queries; a real resubmission is the operator's.
  "GET /api/v1/session": "read-exact",
  "GET /api/v1/runs/:runId/code/files": "query",
  "GET /api/v1/runs/:runId/code/file": "query",
  "GET /api/v1/runs/:runId/resubmit": "query",
  "POST /api/v1/runs/:runId/resubmit": "resubmit",
};

/** The permission of each gRPC method of snaptrail.v1.Collector. */
export const GRPC_METHOD_PERMISSIONS: Readonly<Record<string, Permission>> = {
  Publish: "publish",
  HasDigests: "publish",
  PutBlob: "publish",
};
