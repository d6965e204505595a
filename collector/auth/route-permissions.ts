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

/**
 * The permission of each gRPC method, by its path. The gRPC server refuses to start with a
 * method missing here (missingGrpcPermissions), as the HTTP API does for a route. Agents publish;
 * the Query service is for programs that read, so every method of it needs `query` (an agent
 * token, which may read a run by exact id over HTTP, gets PERMISSION_DENIED here).
 */
export const GRPC_METHOD_PERMISSIONS: Readonly<Record<string, Permission>> = {
  "/snaptrail.v1.Collector/Publish": "publish",
  "/snaptrail.v1.Collector/HasDigests": "publish",
  "/snaptrail.v1.Collector/PutBlob": "publish",
  "/snaptrail.v1.Query/ListRuns": "query",
  "/snaptrail.v1.Query/GetRun": "query",
  "/snaptrail.v1.Query/DiffRuns": "query",
  "/snaptrail.v1.Query/StepTimeline": "query",
  "/snaptrail.v1.Query/SearchPackage": "query",
  "/snaptrail.v1.Query/GetSnapshot": "query",
  "/snaptrail.v1.Query/FindOutputProducers": "query",
  "/snaptrail.v1.Query/GetCacheHit": "query",
  "/snaptrail.v1.Query/GetBlob": "query",
};

/** The paths of these gRPC methods that GRPC_METHOD_PERMISSIONS (or `table`) does not name. */
export function missingGrpcPermissions(paths: Iterable<string>, table: Readonly<Record<string, Permission>> = GRPC_METHOD_PERMISSIONS): string[] {
  return [...paths].filter((path) => !Object.hasOwn(table, path));
}
