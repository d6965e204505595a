import {
  ENV_MODES,
  reportOf,
  restoreCodeStep,
  restoreEnvironmentStep,
  restoreCacheDir,
  restoreSnapshot,
  type EnvMode,
  type RestoreProgress,
  type RestoreReport,
  type RestoreRequest,
} from "../agent/restore/restore-snapshot.js";
import { resolveRestoreTarget } from "../agent/restore/restore-target.js";
import { BadInputError } from "../core/errors.js";
import { CollectorHttpClient, resolveCollectorUrl } from "../core/collector-http-client.js";
import { clientEnv } from "./options/collector-http-option.js";
import type { CliIo } from "./cli-io.js";

export interface RunRestoreFlags {
  into?: string;
  env: string;
  python?: string;
  cacheDir?: string;
  json?: boolean;
  collectorHttp?: string;
  tlsCa?: string;
}

/**
 * `snaptrail restore`: resolve the reference, then code and environment with a progress display
 * on stderr (stdout keeps the report, so `--json` stays parseable). Differences are returned in
 * the report, never thrown, so the user sees all of them.
 */
export async function runRestore(ref: string, flags: RunRestoreFlags, io: CliIo): Promise<RestoreReport> {
  if (!(ENV_MODES as readonly string[]).includes(flags.env)) {
    throw new BadInputError(`--env must be one of ${ENV_MODES.join(", ")} (got "${flags.env}")`);
  }
  const envMode = flags.env as EnvMode;
  const client = new CollectorHttpClient(resolveCollectorUrl(flags.collectorHttp, io.env), { env: clientEnv(flags, io.env) });
  const cacheDir = restoreCacheDir(flags.cacheDir, io.env);
  const target = await resolveRestoreTarget(ref, client);
  if (flags.into === undefined && (envMode === "none" || !target.environment)) {
    throw new BadInputError(`nothing to do for ${target.rollbackOf}: give --into DIR to restore its code${target.environment ? " or an --env mode" : ""}`);
  }
  const request: RestoreRequest = {
    target,
    ...(flags.into !== undefined ? { into: flags.into } : {}),
    envMode: target.environment ? envMode : "none",
    ...(flags.python !== undefined ? { python: flags.python } : {}),
    cacheDir,
    allowMismatch: true,
    fetchBlob: (digest: string) => client.getBlob(digest),
    env: io.env,
    cwd: process.cwd(),
  };
  const interactive = !flags.json && (process.stderr as { isTTY?: boolean }).isTTY === true;
  if (!interactive) {
    // Plain lines: each phase, and each package the installer starts on, not every line it
    // prints, so logs of batch jobs stay readable.
    let lastDone: number | undefined;
    return restoreSnapshot({
      ...request,
      onProgress: (p) => {
        if (flags.json) return;
        if (p.total !== undefined && p.done === lastDone) return;
        lastDone = p.done;
        io.stderr.write(`snaptrail: ${progressLine(p)}\n`);
      },
    });
  }
  return withProgressDisplay(request);
}

function progressLine(p: RestoreProgress): string {
  const count = p.total !== undefined ? ` (${p.done ?? 0}/${p.total})` : "";
  return `${p.step}: ${p.message}${count}`;
}

/** A listr2 task list on stderr: the code step, then the environment step with its installer's progress. */
async function withProgressDisplay(request: RestoreRequest): Promise<RestoreReport> {
  const { Listr, ListrLogger, ProcessOutput } = await import("listr2");
  const { target } = request;
  let code: RestoreReport["code"] = null;
  let environment: RestoreReport["environment"] = null;
  const withOutput = (task: { output: string }): RestoreRequest => ({ ...request, onProgress: (p) => (task.output = progressLine(p)) });
  // Progress on stderr: stdout carries the report.
  const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) });
  await new Listr(
    [
      {
        title: `Restore the code of ${target.rollbackOf} into ${request.into ?? ""}`,
        enabled: request.into !== undefined,
        task: async (_: unknown, task: { output: string }) => void (code = await restoreCodeStep(withOutput(task))),
      },
      {
        title: envTitle(request.envMode),
        enabled: request.envMode !== "none",
        task: async (_: unknown, task: { output: string }) => void (environment = await restoreEnvironmentStep(withOutput(task), code?.into)),
      },
    ],
    { exitOnError: true, rendererOptions: { logger }, fallbackRendererOptions: { logger } },
  ).run();
  return reportOf(target, code, environment);
}

function envTitle(mode: EnvMode): string {
  return mode === "rebuild" ? "Rebuild the Python environment" : mode === "verify" ? "Compare the current environment" : "Check the container image";
}
