import type * as grpc from "@grpc/grpc-js";
import type { Logger } from "pino";
import type { BlobChunk } from "../../../proto/generated/snaptrail/v1/BlobChunk.js";
import type { DiffRunsRequest__Output } from "../../../proto/generated/snaptrail/v1/DiffRunsRequest.js";
import type { FindOutputProducersRequest__Output } from "../../../proto/generated/snaptrail/v1/FindOutputProducersRequest.js";
import type { GetBlobRequest__Output } from "../../../proto/generated/snaptrail/v1/GetBlobRequest.js";
import type { GetCacheHitRequest__Output } from "../../../proto/generated/snaptrail/v1/GetCacheHitRequest.js";
import type { GetRunRequest__Output } from "../../../proto/generated/snaptrail/v1/GetRunRequest.js";
import type { GetSnapshotRequest__Output } from "../../../proto/generated/snaptrail/v1/GetSnapshotRequest.js";
import type { ListRunsRequest__Output } from "../../../proto/generated/snaptrail/v1/ListRunsRequest.js";
import type { RunFilters__Output } from "../../../proto/generated/snaptrail/v1/RunFilters.js";
import type { SearchPackageRequest__Output } from "../../../proto/generated/snaptrail/v1/SearchPackageRequest.js";
import type { StepTimelineRequest__Output } from "../../../proto/generated/snaptrail/v1/StepTimelineRequest.js";
import { BadInputError, errorMessage } from "../../../core/errors.js";
import type { BlobStore } from "../../blobs/blob-store.js";
import { serviceError, toServiceError } from "../../ingest/grpc-service-error.js";
import type { Store } from "../../store/store.js";
import { HttpError } from "../http-error.js";
import { diffRunRefs } from "../queries/diff-run-refs.js";
import { findCacheHit } from "../queries/find-cache-hit.js";
import { findOutputProducers } from "../queries/find-output-producers.js";
import { getBlob } from "../queries/get-blob.js";
import { getSnapshot } from "../queries/get-snapshot.js";
import { listRuns } from "../queries/list-runs.js";
import { searchPackage } from "../queries/search-package.js";
import { stepTimeline } from "../queries/step-timeline.js";
import { resolveRun } from "../resolve-run.js";
import { CacheKeyParamsSchema, DiffQuerySchema, DigestParamsSchema, OutputsQuerySchema, PackageParamsSchema, RunParamsSchema, TimelineQuerySchema } from "../schemas/request-schemas.js";
import { PackageRunsQuerySchema, RunsQuerySchema } from "../schemas/run-filters.js";
import { enumText, numberText, parseGrpcRequest } from "./parse-grpc-request.js";
import {
  cacheHitToProto,
  outputProducersToProto,
  packageRunPageToProto,
  runDetailToProto,
  runDiffToProto,
  runPageToProto,
  snapshotToProto,
  stepTimelineToProto,
} from "./query-to-proto.js";

type GrpcModule = Omit<typeof grpc, "default">;

export interface QueryServiceDeps {
  store: Store;
  blobs: BlobStore;
  log: Logger;
  /** GetBlob sends a blob in chunks of at most this many bytes (below the largest gRPC message). */
  blobChunkBytes: number;
}

// The snaptrail.v1.Query service: each method parses its request with the HTTP route's schema,
// calls the route's query function (queries/) and sends its answer as the proto's message. No
// query logic lives here, so the two APIs cannot answer differently.

/** RunFilters as the HTTP runs query carries them, and each key's name in the request message. */
function filtersRaw(f: RunFilters__Output | null): Record<string, string | undefined> {
  if (f === null) return {};
  return {
    pipeline: f.pipeline,
    step: f.step,
    status: enumText(f.status, "RUN_STATUS_UNSPECIFIED")?.toLowerCase(),
    version: f.version,
    parent: f.parent,
    orchestrator: enumText(f.orchestrator, "KIND_UNSPECIFIED"),
    environment: f.environment,
    since: numberText(f.sinceUnixMs),
    until: numberText(f.untilUnixMs),
    cursor: f.cursor,
    limit: numberText(f.limit),
  };
}
const FILTER_FIELDS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(["pipeline", "step", "status", "version", "parent", "orchestrator", "environment", "cursor", "limit"].map((k) => [k, `filters.${k}`])),
  since: "filters.since_unix_ms",
  until: "filters.until_unix_ms",
  package: "package",
};

/** A query's failure as a status: the HTTP API's own errors by their code, the rest as the Collector service does. */
function queryError(grpcLib: GrpcModule, err: unknown): grpc.ServiceError {
  if (!(err instanceof HttpError)) return toServiceError(grpcLib, err);
  const { status } = grpcLib;
  if (err.code === "AMBIGUOUS") {
    const candidates = Array.isArray(err.extra.candidates) ? (err.extra.candidates as string[]) : [];
    return serviceError(grpcLib, status.FAILED_PRECONDITION, `${err.message}: ${candidates.join(", ")}`);
  }
  const code =
    err.status === 400 ? status.INVALID_ARGUMENT
    : err.status === 404 ? status.NOT_FOUND
    : err.status === 409 ? status.FAILED_PRECONDITION
    : err.status === 501 ? status.UNIMPLEMENTED
    : err.status === 503 ? status.UNAVAILABLE
    : status.INTERNAL;
  return serviceError(grpcLib, code, err.message);
}

/** snaptrail.v1.Query for grpc.Server#addService: the definition to serve and its handlers. */
export interface QueryService {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

/**
 * The Query service from its loaded definition. Requests arrive as bytes (an identity
 * deserializer) and are decoded by each handler, so bytes that are not the method's request
 * message get INVALID_ARGUMENT naming it, not grpc-js's INTERNAL "Error deserializing request"
 * (as Publish does on the Collector service).
 */
export function buildQueryService(grpcLib: GrpcModule, service: grpc.ServiceDefinition, { store, blobs, log, blobChunkBytes }: QueryServiceDeps): QueryService {
  const definition: grpc.ServiceDefinition = Object.fromEntries(
    Object.entries(service).map(([name, method]) => [name, { ...method, requestDeserialize: (bytes: Buffer) => bytes }]),
  );
  const decode = <Req>(method: string, bytes: Buffer): Req => {
    const m = service[method];
    if (!m) throw new Error(`snaptrail.v1.Query has no method ${method}`);
    try {
      return m.requestDeserialize(bytes) as Req;
    } catch (err) {
      throw new BadInputError(`the ${method} request could not be decoded: ${errorMessage(err)}`);
    }
  };

  const unary =
    <Req, Res>(method: string, answer: (request: Req) => Promise<Res>) =>
    (call: grpc.ServerUnaryCall<Buffer, Res>, callback: grpc.sendUnaryData<Res>): void => {
      // async: a request that cannot be decoded or that the schema refuses rejects like any other failure.
      (async () => answer(decode<Req>(method, call.request)))().then(
        (response) => callback(null, response),
        (err: unknown) => {
          const e = queryError(grpcLib, err);
          if (e.code === grpcLib.status.INTERNAL || e.code === grpcLib.status.UNAVAILABLE) log.error({ err, method }, "query failed");
          callback(e);
        },
      );
    };

  const implementation: grpc.UntypedServiceImplementation = {
    ListRuns: unary(
      "ListRuns",
      async (r: ListRunsRequest__Output) =>
        runPageToProto(await listRuns(store, parseGrpcRequest(RunsQuerySchema, { ...filtersRaw(r.filters), package: r.package }, FILTER_FIELDS))),
    ),
    GetRun: unary("GetRun", async (r: GetRunRequest__Output) => {
      const { runId } = parseGrpcRequest(RunParamsSchema, { runId: r.run }, { runId: "run" });
      // Every Query method needs the query permission, so a prefix is always allowed here.
      return runDetailToProto(await resolveRun(store, runId, "run"));
    }),
    DiffRuns: unary("DiffRuns", async (r: DiffRunsRequest__Output) => runDiffToProto(await diffRunRefs(store, blobs, parseGrpcRequest(DiffQuerySchema, { a: r.a, b: r.b })))),
    StepTimeline: unary("StepTimeline", async (r: StepTimelineRequest__Output) => {
      const query = parseGrpcRequest(TimelineQuerySchema, { pipeline: r.pipeline, step: r.step, cursor: r.cursor, limit: numberText(r.limit) });
      return stepTimelineToProto(await stepTimeline(store, query));
    }),
    SearchPackage: unary("SearchPackage", async (r: SearchPackageRequest__Output) => {
      const { name } = parseGrpcRequest(PackageParamsSchema, { name: r.name });
      const query = parseGrpcRequest(PackageRunsQuerySchema, filtersRaw(r.filters), FILTER_FIELDS);
      return packageRunPageToProto(await searchPackage(store, name, query));
    }),
    GetSnapshot: unary("GetSnapshot", async (r: GetSnapshotRequest__Output) => {
      const { digest } = parseGrpcRequest(DigestParamsSchema, { digest: r.digest });
      return snapshotToProto(await getSnapshot(store, digest));
    }),
    FindOutputProducers: unary("FindOutputProducers", async (r: FindOutputProducersRequest__Output) => {
      const { digest } = parseGrpcRequest(DigestParamsSchema, { digest: r.digest });
      const { limit } = parseGrpcRequest(OutputsQuerySchema, { limit: numberText(r.limit) });
      return outputProducersToProto(await findOutputProducers(store, digest, limit));
    }),
    GetCacheHit: unary("GetCacheHit", async (r: GetCacheHitRequest__Output) => {
      const { key } = parseGrpcRequest(CacheKeyParamsSchema, { key: r.key });
      return cacheHitToProto(await findCacheHit(store, blobs, key));
    }),
    GetBlob: (call: grpc.ServerWritableStream<Buffer, BlobChunk>): void => {
      (async () => {
        const request = decode<GetBlobRequest__Output>("GetBlob", call.request);
        const { digest } = parseGrpcRequest(DigestParamsSchema, { digest: request.digest });
        const bytes = await getBlob(blobs, digest);
        await writeChunks(call, digest, bytes, blobChunkBytes);
      })().then(
        () => {
          if (!call.cancelled) call.end();
        },
        (err: unknown) => {
          const e = queryError(grpcLib, err);
          if (e.code === grpcLib.status.INTERNAL || e.code === grpcLib.status.UNAVAILABLE) log.error({ err, method: "GetBlob" }, "query failed");
          if (!call.cancelled) call.emit("error", e);
        },
      );
    },
  };
  return { definition, implementation };
}

/**
 * A blob as PutBlob takes one: the first chunk names digest and total_bytes (and holds data too,
 * unless the blob is empty). Waits for the client to read when the stream's buffer is full, so
 * a slow reader holds one chunk in memory beyond the blob, not every chunk; stops when the call
 * is cancelled.
 */
async function writeChunks(call: grpc.ServerWritableStream<Buffer, BlobChunk>, digest: string, bytes: Buffer, chunkBytes: number): Promise<void> {
  let offset = 0;
  do {
    if (call.cancelled) return;
    const data = bytes.subarray(offset, offset + chunkBytes);
    const chunk: BlobChunk = offset === 0 ? { digest, totalBytes: bytes.length, data } : { data };
    offset += data.length;
    if (!call.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          call.off("drain", done);
          call.off("cancelled", done);
          resolve();
        };
        call.on("drain", done);
        call.on("cancelled", done);
      });
    }
  } while (offset < bytes.length);
}
