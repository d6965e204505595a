import type * as grpc from "@grpc/grpc-js";
import type { Logger } from "pino";
import { allows } from "../../core/auth/roles.js";
import { errorMessage, SnaptrailError } from "../../core/errors.js";
import { GRPC_METHOD_PERMISSIONS } from "./route-permissions.js";
import type { TokenAuthenticator } from "./token-authenticator.js";

type GrpcModule = Omit<typeof grpc, "default">;

/**
 * Every gRPC call proves its token in the `authorization` metadata (Bearer) before anything it
 * sends is read: UNAUTHENTICATED for a missing, malformed, unknown, expired or revoked token,
 * PERMISSION_DENIED for a role without the method's permission (GRPC_METHOD_PERMISSIONS by path;
 * a method not listed there is refused to everyone, though the server does not start with one).
 * Refusals are logged without the token.
 */
export function grpcAuthInterceptor(grpcLib: GrpcModule, auth: TokenAuthenticator, log: Logger): grpc.ServerInterceptor {
  return (method, call) => {
    const name = method.path.slice(method.path.lastIndexOf("/") + 1);
    const permission = Object.hasOwn(GRPC_METHOD_PERMISSIONS, method.path) ? GRPC_METHOD_PERMISSIONS[method.path] : undefined;
    const intercepting: grpc.ServerInterceptingCall = new grpcLib.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            const header = metadata.get("authorization")[0];
            auth.authenticate(typeof header === "string" ? header : undefined).then(
              (principal) => {
                if (permission === undefined || !allows(principal.role, permission)) {
                  log.warn({ peer: call.getPeer(), method: method.path, token: principal.tokenId, role: principal.role }, "refused a gRPC call its role does not allow");
                  intercepting.sendStatus({ code: grpcLib.status.PERMISSION_DENIED, details: `a ${principal.role} token may not call ${name}` });
                  return;
                }
                // The token is checked; it goes no further than this call's handler.
                metadata.remove("authorization");
                nextMetadata(metadata);
              },
              (err: unknown) => {
                const known = err instanceof SnaptrailError && err.code === "UNAUTHENTICATED";
                log.warn({ peer: call.getPeer(), method: method.path, reason: errorMessage(err) }, "refused a gRPC call without a valid token");
                intercepting.sendStatus({
                  code: known ? grpcLib.status.UNAUTHENTICATED : grpcLib.status.UNAVAILABLE,
                  details: known ? errorMessage(err) : `cannot check the token now: ${errorMessage(err)}`,
                });
              },
            );
          },
        });
      },
    });
    return intercepting;
  };
}
