// Shapes of the routes the web UI adds to the query API (sign-in, links, code files, resubmit).
// Stable like core/api-types.ts: the UI and scripts read them.
import type { Role } from "./auth/roles.js";
import type { OrchestratorKind } from "./model.js";

/** GET /api/v1/session: who is calling and what this collector offers the UI. */
export interface SessionInfo {
  /** "none": the API is open (loopback use); "tokens": every call carries a token. */
  auth: "none" | "tokens";
  /** The caller's token, when auth is on. */
  principal: { tokenId: string; name: string; role: Role } | null;
  /** Base URLs of the orchestrators' own UIs, for links from a run page; null when not configured. */
  links: { airflow: string | null; kfp: string | null };
  /** Orchestrator kinds this collector can submit to itself (it holds their credentials). */
  resubmitKinds: OrchestratorKind[];
}

/** GET /api/v1/runs/:runId/code/files: the files the run's code archive holds. */
export interface CodeFileList {
  runId: string;
  archiveDigest: string | null;
  files: { path: string; size: number }[];
}

/** GET /api/v1/runs/:runId/code/file?path=: one file of the archive, text only and bounded. */
export type CodeFileAnswer =
  | { path: string; size: number; kind: "text"; text: string }
  | { path: string; size: number; kind: "binary" }
  | { path: string; size: number; kind: "tooLarge"; maxBytes: number };

/** GET (dry run) and POST /api/v1/runs/:runId/resubmit. */
export interface ResubmitAnswer {
  runId: string;
  orchestrator: OrchestratorKind;
  dryRun: boolean;
  /** The `snaptrail resubmit` command that does the same from a shell. */
  cliCommand: string;
  /** Whether this collector can submit the run itself; when not, why (naming the setting). */
  canSubmit: boolean;
  cannotSubmitBecause: string | null;
  /** What would be (or was) run: null when the collector cannot plan it (see cannotSubmitBecause). */
  plan: { detail: string; commands: string[]; script: string | null } | null;
  /** Why the dry run could not be computed here (a setting missing, a run that cannot be re-run). */
  planError: string | null;
  /** After a submission: the orchestrator's id and the run id snaptrail expects from it. */
  jobId: string | null;
  expectedRunId: string | null;
  /** After a submission: who asked, as recorded in the resubmit audit log. */
  requestedBy: { tokenId: string; name: string } | null;
}
