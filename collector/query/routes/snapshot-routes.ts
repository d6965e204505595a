import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorAnswers, PATH_ERRORS } from "../schemas/error-answer.js";
import { getBlob } from "../queries/get-blob.js";
import { getSnapshot } from "../queries/get-snapshot.js";
import { DigestParamsSchema } from "../schemas/request-schemas.js";
import { StoredSnapshotSchema } from "../schemas/run-schemas.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

// Content-addressed reads: a snapshot body, a blob (a code archive, an output).

export function registerSnapshotRoutes(app: FastifyInstance, { store, blobs }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // Lets `restore` take a snapshot digest where a run id would do.
  api.get(
    "/api/v1/snapshots/:digest",
    {
      schema: {
        tags: ["snapshots"],
        summary: "A snapshot body by digest",
        security: BEARER,
        params: DigestParamsSchema,
        response: { 200: StoredSnapshotSchema, ...errorAnswers({ ...PATH_ERRORS, 404: "No snapshot with this digest" }) },
      },
    },
    async (request) => getSnapshot(store, request.params.digest),
  );
  api.get(
    "/api/v1/blobs/:digest",
    {
      schema: {
        tags: ["snapshots"],
        summary: "A blob's bytes by digest (a code archive, a run's output)",
        security: BEARER,
        params: DigestParamsSchema,
        response: {
          200: { description: "The bytes, immutable", content: { "application/octet-stream": { schema: z.custom<Buffer>().meta({ type: "string", format: "binary" }) } } },
          ...errorAnswers({ ...PATH_ERRORS, 404: "No blob with this digest" }),
        },
      },
    },
    async (request, reply) => {
      const { digest } = request.params;
      const bytes = await getBlob(blobs, digest);
      return reply
        .type("application/octet-stream")
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("etag", `"${digest}"`)
        .send(bytes);
    },
  );
}
