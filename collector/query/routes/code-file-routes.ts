import type { FastifyInstance } from "fastify";
import type { RunDetail } from "../../../core/api-types.js";
import type { CodeFileAnswer, CodeFileList } from "../../../core/ui-api-types.js";
import { collectorDefault } from "../../collector-options.js";
import { readTarFiles } from "../../diff/tar-files.js";
import { HttpError } from "../http-error.js";
import type { UiRouteContext } from "./ui-routes.js";

/** The most of one file the viewer gets: code, not data sets. */
export const MAX_VIEW_BYTES = 1024 * 1024;
const MAX_PATH_CHARS = 4096;

/**
 * A path as the run's archive records it, or BAD_INPUT naming what is wrong: relative, "/"
 * separated, no empty, "." or ".." segment, no control characters or backslashes. Only paths
 * the run's file list holds are served anyway; this says why a hostile one is refused.
 */
export function checkArchivePath(path: string): string {
  const bad = (why: string): never => {
    throw new HttpError(400, "BAD_INPUT", `invalid query parameter path: ${why}`, { parameter: "path" });
  };
  if (path === "") bad("is required: a file path from the run's file list");
  if (path.length > MAX_PATH_CHARS) bad(`is over ${MAX_PATH_CHARS} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) bad("holds a control character");
  if (path.includes("\\")) bad("holds a backslash; archive paths use /");
  if (path.startsWith("/")) bad("must be relative to the code root, not absolute");
  if (path.split("/").some((s) => s === "" || s === "." || s === "..")) bad('must not hold empty, "." or ".." segments');
  return path;
}

function archiveOf(run: RunDetail): string {
  const digest = run.code?.archiveDigest ?? "";
  if (digest === "") throw new HttpError(404, "NOT_FOUND", `run ${run.runId} recorded no code archive`);
  return digest;
}

/** Text a browser can show as is: valid UTF-8 without NUL bytes. */
function asText(data: Buffer): string | undefined {
  if (data.includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    return undefined;
  }
}

/** The code archive's file list, and one file from it (text only, at most MAX_VIEW_BYTES). */
export function registerCodeFileRoutes(app: FastifyInstance, context: UiRouteContext): void {
  const { store, blobs } = context;
  const maxArchiveBytes = context.maxArchiveBytes ?? collectorDefault("maxArchiveBytes");

  app.get<{ Params: { runId: string } }>("/api/v1/runs/:runId/code/files", async (request): Promise<CodeFileList> => {
    const run = await context.resolveRun(store, request.params.runId, "run");
    return {
      runId: run.runId,
      archiveDigest: run.code?.archiveDigest || null,
      files: (run.code?.files ?? []).map((f) => ({ path: f.path, size: Number(f.size) })),
    };
  });

  app.get<{ Params: { runId: string }; Querystring: Record<string, unknown> }>("/api/v1/runs/:runId/code/file", async (request): Promise<CodeFileAnswer> => {
    const query = request.query;
    const unknown = Object.keys(query).filter((k) => k !== "path");
    if (unknown.length > 0) throw new HttpError(400, "BAD_INPUT", `unknown query parameter ${unknown.join(", ")}`);
    const raw = query.path;
    if (Array.isArray(raw)) throw new HttpError(400, "BAD_INPUT", "invalid query parameter path: given twice; give it once", { parameter: "path" });
    const path = checkArchivePath(typeof raw === "string" ? raw : "");
    const run = await context.resolveRun(store, request.params.runId, "run");
    const digest = archiveOf(run);
    const entry = run.code?.files.find((f) => f.path === path);
    if (!entry) throw new HttpError(404, "NOT_FOUND", `the code archive of ${run.runId} holds no file ${JSON.stringify(path.slice(0, 200))}`);
    const archive = await blobs.get(digest);
    if (!archive) throw new HttpError(404, "NOT_FOUND", `the code archive ${digest} of ${run.runId} is no longer in the blob store`);
    const files = await readTarFiles(archive, new Set([path]), { maxFileBytes: MAX_VIEW_BYTES, maxArchiveBytes });
    const file = files.get(path);
    const size = Number(entry.size);
    if (!file) throw new HttpError(404, "NOT_FOUND", `the code archive of ${run.runId} lists ${path} but does not hold it`);
    if (file.kind === "tooLarge") return { path, size: file.bytes, kind: "tooLarge", maxBytes: MAX_VIEW_BYTES };
    const text = asText(file.data);
    return text === undefined ? { path, size, kind: "binary" } : { path, size, kind: "text", text };
  });
}
