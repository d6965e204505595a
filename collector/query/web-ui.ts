import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

// The web UI's static build (ui/, built by `npm run build` into dist/cli-bundle/ui/), served at /.
// Client routes (/runs/ID, /compare?...) are not files: a browser's GET (Accept: text/html) for a
// path that is not the API's and names no file answers index.html, and the UI's router takes it
// from there; anything else there keeps the API's JSON 404.

/**
 * Where the build lies: next to the bundle's chunks (dist/cli-bundle/ui/, also in the npm package),
 * or, for the tsc output the unit tests run (dist/collector/query/), two folders up.
 */
const CANDIDATES = ["./ui/", "../../cli-bundle/ui/"];

export function findWebUiDir(): string | undefined {
  for (const relative of CANDIDATES) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

/** Paths that are never the UI's: an unknown one there stays a JSON 404. */
function isApiPath(url: string): boolean {
  const path = url.split("?")[0] ?? "";
  return ["/api", "/healthz"].some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Registers one route per built file (wildcard off, so the API's 404 and 405 answers for unknown
 * paths stay as they are). Returns the fallback for the not-found handler: true when it answered.
 */
export async function registerWebUi(
  app: FastifyInstance,
  dir: string,
): Promise<(request: FastifyRequest, reply: FastifyReply) => boolean> {
  const { default: fastifyStatic } = await import("@fastify/static");
  await app.register(fastifyStatic, {
    root: dir,
    prefix: "/",
    wildcard: false,
    index: "index.html",
    // Built assets carry a content hash in their names; index.html must be asked again each time.
    setHeaders: (reply, path) => {
      void reply.header("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  return (request, reply) => {
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    if (isApiPath(request.url)) return false;
    // Only a browser asking for a page gets the app; a script (no text/html in Accept) keeps the JSON 404.
    if (!(request.headers.accept ?? "").includes("text/html")) return false;
    const last = (request.url.split("?")[0] ?? "").split("/").pop() ?? "";
    // A missing asset (name with an extension) is a 404, not the app: a stale page would load HTML as script.
    if (last.includes(".")) return false;
    void reply.header("cache-control", "no-cache").sendFile("index.html", dir);
    return true;
  };
}
