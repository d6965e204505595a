import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GRPC_METHOD_PERMISSIONS, missingGrpcPermissions } from "../../collector/auth/route-permissions.js";
import { allows } from "../../core/auth/roles.js";
import { loadCollectorGrpc } from "../../proto/grpc-definition.js";

// Every gRPC method names who may call it (the server refuses to start otherwise, as the HTTP
// API does for a route), and the table names no method the services do not have.

describe("gRPC method permissions", () => {
  it("cover every method of Collector and Query, and nothing else", async () => {
    const { service, queryService } = await loadCollectorGrpc();
    const paths = [service, queryService].flatMap((s) => Object.values(s).map((m) => m.path));
    assert.ok(paths.includes("/snaptrail.v1.Query/ListRuns"), paths.join(", "));
    assert.deepEqual(missingGrpcPermissions(paths), []);
    assert.deepEqual(Object.keys(GRPC_METHOD_PERMISSIONS).sort(), [...paths].sort());
  });

  it("reports a method without a line, so the server can refuse to start", () => {
    assert.deepEqual(missingGrpcPermissions(["/snaptrail.v1.Collector/Publish", "/snaptrail.v1.Query/Unlisted"]), ["/snaptrail.v1.Query/Unlisted"]);
    // Inherited keys are not lines.
    assert.deepEqual(missingGrpcPermissions(["constructor", "toString"]), ["constructor", "toString"]);
  });

  it("gives the Query service to roles that may query, never to agents", () => {
    for (const [path, permission] of Object.entries(GRPC_METHOD_PERMISSIONS)) {
      if (!path.startsWith("/snaptrail.v1.Query/")) continue;
      assert.equal(permission, "query", path);
      assert.equal(allows("agent", permission), false, path);
      assert.equal(allows("reader", permission), true, path);
    }
  });
});
