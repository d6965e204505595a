import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { RunDetail } from "../../../core/api-types.js";
import type { BlobStore } from "../../blobs/blob-store.js";
import type { CollectorResubmitter } from "../../resubmit/collector-resubmitter.js";
import type { Store } from "../../store/store.js";
import { registerCodeFileRoutes } from "./code-file-routes.js";
import { registerResubmitRoutes } from "./resubmit-routes.js";
import { registerSessionRoutes } from "./session-routes.js";

/** What the collector's config gives the web UI's routes. */
export interface UiRouteDeps {
  /** Base URLs of the orchestrators' own UIs (--link-airflow, --link-kfp). */
  links?: { airflow?: string; kfp?: string };
  /** Resubmit through the collector: built by cli/ with the adapters; absent, the collector can only say how. */
  resubmitter?: CollectorResubmitter;
  /** Where every resubmission through the collector is recorded with who asked. */
  resubmitAuditLog?: string;
  /** The largest code archive accepted, also the bound for unpacking one. */
  maxArchiveBytes?: number;
}

export interface UiRouteContext extends UiRouteDeps {
  store: Store;
  blobs: BlobStore;
  log: Logger;
  /** Whether tokens are checked (--auth tokens). */
  authOn: boolean;
  /** http-api's run lookup: exact id, else a unique prefix (exactOnly: no prefix search). */
  resolveRun(store: Store, ref: string, what: string, exactOnly?: boolean): Promise<RunDetail>;
}

/** The routes the web UI adds: the session (sign-in), a code file viewer, resubmit. */
export function registerUiRoutes(app: FastifyInstance, context: UiRouteContext): void {
  registerSessionRoutes(app, context);
  registerCodeFileRoutes(app, context);
  registerResubmitRoutes(app, context);
}
