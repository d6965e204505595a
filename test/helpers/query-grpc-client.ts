// A real @grpc/grpc-js client of the collector's Query service (snaptrail.v1.Query), as a
// program would use it: typed requests and answers, the token as `authorization` metadata.
import * as grpc from "@grpc/grpc-js";
import { loadCollectorGrpc } from "../../proto/grpc-definition.js";
import type { BlobChunk__Output } from "../../proto/generated/snaptrail/v1/BlobChunk.js";
import type { QueryClient } from "../../proto/generated/snaptrail/v1/Query.js";

export async function queryClient(address: string): Promise<QueryClient> {
  const { proto } = await loadCollectorGrpc();
  return new proto.snaptrail.v1.Query(address, grpc.credentials.createInsecure());
}

/** The unary methods of the Query service, by the name its client gives them (listRuns, getRun, ...); GetBlob streams. */
export const QUERY_METHODS = ["listRuns", "getRun", "diffRuns", "stepTimeline", "searchPackage", "getSnapshot", "findOutputProducers", "getCacheHit"] as const;
export type QueryMethod = (typeof QUERY_METHODS)[number];

type Unary = (request: object, metadata: grpc.Metadata, callback: (err: grpc.ServiceError | null, response?: unknown) => void) => grpc.ClientUnaryCall;

/** One unary Query call with a bearer token (none: no metadata), as a promise. */
export function callQuery<T = unknown>(client: QueryClient, method: QueryMethod, request: object, token?: string): Promise<T> {
  const metadata = new grpc.Metadata();
  if (token !== undefined) metadata.set("authorization", `Bearer ${token}`);
  const fn = (client[method] as unknown as Unary).bind(client);
  return new Promise((resolve, reject) => {
    fn(request, metadata, (err, response) => (err ? reject(err) : resolve(response as T)));
  });
}

/** Query.GetBlob: every chunk it streams, or the status it ended with. */
export function getBlobChunks(client: QueryClient, digest: string, token?: string): Promise<BlobChunk__Output[]> {
  const metadata = new grpc.Metadata();
  if (token !== undefined) metadata.set("authorization", `Bearer ${token}`);
  return new Promise((resolve, reject) => {
    const chunks: BlobChunk__Output[] = [];
    const call = client.getBlob({ digest }, metadata);
    call.on("data", (chunk: BlobChunk__Output) => chunks.push(chunk));
    call.on("error", reject);
    call.on("end", () => resolve(chunks));
  });
}

/** One Query method called with raw request bytes (identity serializers): a hostile client's. */
export function callQueryRaw(address: string, method: string, bytes: Buffer, token?: string): Promise<Buffer> {
  const Raw = grpc.makeGenericClientConstructor(
    {
      [method]: {
        path: `/snaptrail.v1.Query/${method}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b,
        responseDeserialize: (b: Buffer) => b,
      },
    },
    "Query",
  );
  const client = new Raw(address, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (token !== undefined) metadata.set("authorization", `Bearer ${token}`);
  const fn = (client as unknown as Record<string, Unary>)[method]!.bind(client);
  return new Promise<Buffer>((resolve, reject) => {
    fn(bytes, metadata, (err, response) => (err ? reject(err) : resolve(response as Buffer)));
  }).finally(() => client.close());
}
