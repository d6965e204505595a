import type { Logger } from "pino";
import type { BlobStore } from "../../blobs/blob-store.js";
import type { Readiness } from "../../readiness.js";
import type { Store } from "../../store/store.js";

/** What the route modules (routes/*-routes.ts) answer from. */
export interface RouteDeps {
  store: Store;
  blobs: BlobStore;
  log: Logger;
  readiness: Readiness;
}

/** OpenAPI security of a route that needs a token when the collector runs with --auth tokens. */
export const BEARER = [{ bearer: [] }];
