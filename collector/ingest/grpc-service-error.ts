import type * as grpc from "@grpc/grpc-js";
import { errorMessage, SnaptrailError } from "../../core/errors.js";
import { grpcStatusOf } from "../../proto/grpc-status.js";
import { isStoreOutage } from "../store/is-store-outage.js";

type GrpcModule = Omit<typeof grpc, "default">;

// How the collector's gRPC services (Collector and Query) answer a failure: one status table.

export function serviceError(grpcLib: GrpcModule, code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpcLib.Metadata() });
}

/**
 * A failed call (HasDigests, PutBlob, a Query method) as a gRPC status: a store or disk outage (the one outage table)
 * is UNAVAILABLE, so the caller (an agent keeps its data) retries; our other codes by their gRPC status;
 * a stream cut short is CANCELLED; anything else INTERNAL.
 */
export function toServiceError(grpcLib: GrpcModule, err: unknown): grpc.ServiceError {
  const message = errorMessage(err);
  const { status } = grpcLib;
  if (isStoreOutage(err)) return serviceError(grpcLib, status.UNAVAILABLE, message);
  if (err instanceof SnaptrailError) return serviceError(grpcLib, grpcStatusOf(err.code, status), message);
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (errno === "ABORT_ERR" || errno === "ERR_STREAM_PREMATURE_CLOSE") return serviceError(grpcLib, status.CANCELLED, message);
  return serviceError(grpcLib, status.INTERNAL, message);
}
