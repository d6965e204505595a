import type { FastifyInstance } from "fastify";
import type { OpenAPIV3_1 } from "openapi-types";
import { SNAPTRAIL_VERSION } from "../../../core/version.js";

// The OpenAPI 3.1 document of the query API, generated from the zod schemas the routes validate
// their parameters and serialize their answers with, so it describes what the code does. Routes
// without tags (the UI's files, the 405 answers, this one) are left out.

/** Registers the generator; call before the routes it describes. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  const [{ default: swagger }, { jsonSchemaTransform, jsonSchemaTransformObject }] = await Promise.all([
    import("@fastify/swagger"),
    import("fastify-type-provider-zod"),
  ]);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "snaptrail collector query API",
        version: SNAPTRAIL_VERSION,
        description:
          "Runs, their snapshots, diffs, outputs and package search. Errors are {code, message} with `parameter` naming a bad one. Lists are newest first with opaque cursors.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "A token from `snaptrail token create` (only when the collector runs with --auth tokens)" },
        },
      },
    },
    hideUntagged: true,
    transform: jsonSchemaTransform,
    // The generator names an input twin of every component; only the answers use them.
    transformObject: (documentObject) => withoutUnusedInputs(jsonSchemaTransformObject(documentObject)),
  });
  app.get("/api/v1/openapi.json", () => app.swagger());
}

type Document = ReturnType<typeof import("fastify-type-provider-zod").jsonSchemaTransformObject>;

function withoutUnusedInputs(document: Document): Document {
  const openapi = document as Partial<OpenAPIV3_1.Document>;
  const all = openapi.components?.schemas ?? {};
  const rest = JSON.stringify({ ...openapi, components: { ...openapi.components, schemas: {} } });
  const schemas = Object.fromEntries(
    Object.entries(all).filter(([name]) => !name.endsWith("Input") || rest.includes(`"#/components/schemas/${name}"`)),
  );
  return { ...openapi, components: { ...openapi.components, schemas } };
}
