import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { DIGEST_PATTERN, snapshotDigest } from "../../../core/digest.js";
import { BadInputError, ConfigError, DigestMismatchError, errorMessage, InternalError, MismatchError, NotFoundError, SnaptrailError } from "../../../core/errors.js";
import type { EnvironmentSnapshot } from "../../../core/model.js";
import { checkIndexes, placesOffering } from "./check-indexes.js";
import { chooseInstaller } from "./choose-installer.js";
import { planIndexes, recordedIndexSettings, type IndexPlan } from "./index-plan.js";
import { compareEnvironments, describeDifferences } from "./compare-environments.js";
import { findInterpreter } from "./find-interpreter.js";
import { fingerprintVenv, venvPython } from "./fingerprint-venv.js";
import { installerEnv } from "./installer-env.js";
import { installPackages } from "./install-packages.js";
import { planInstall } from "./plan-install.js";
import type { EnvironmentComparison, InstallerName, RebuildEnvironmentRequest, RebuildEnvironmentResult } from "./rebuild-environment-types.js";
import { restoreEnvOptionsSchema } from "./restore-env-options.js";
import { runInstaller } from "./run-installer.js";
import { waitForLock } from "../../../core/fs/pid-lock.js";

export type { EnvironmentComparison, RebuildEnvironmentRequest, RebuildEnvironmentResult, RestoreEnvProgress } from "./rebuild-environment-types.js";

/** Written into a venv of the cache once it is built and verified; its absence means "incomplete". */
const MARKER = ".snaptrail-complete";
const MARKER_FORMAT = 1;

interface Marker {
  format: number;
  environmentDigest: string;
  /** The package-set digest of the venv as built: a later fingerprint must give the same. */
  builtDigest: string;
  installer: InstallerName;
  builtAt: string;
}

async function readMarker(venvDir: string): Promise<Marker | null> {
  try {
    const m = JSON.parse(await readFile(path.join(venvDir, MARKER), "utf8")) as Partial<Marker>;
    if (m.format !== MARKER_FORMAT || typeof m.builtDigest !== "string" || (m.installer !== "uv" && m.installer !== "pip")) return null;
    return m as Marker;
  } catch {
    return null;
  }
}

async function writeMarker(venvDir: string, marker: Marker): Promise<void> {
  const tmp = path.join(venvDir, `${MARKER}.tmp-${process.pid}`);
  await writeFile(tmp, JSON.stringify(marker, null, 2) + "\n");
  await rename(tmp, path.join(venvDir, MARKER));
}

/**
 * For each package whose build differs (same version, another RECORD): where it was recorded
 * from and which recorded places offer that version now, so the message names both origins.
 */
async function otherBuilds(c: EnvironmentComparison, recorded: EnvironmentSnapshot, indexes: IndexPlan | null): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of c.packages.changed) {
    if (p.direction !== "source" || !/build /.test(`${p.sourceFrom ?? ""}${p.sourceTo ?? ""}`)) continue;
    const rec = recordedIndexSettings(recorded)?.settings;
    const from = rec ? [rec.indexUrl || "the installer's default index", ...rec.extraIndexUrls, ...rec.findLinks].join(", ") : "the index this host used then";
    const now = indexes === null ? [] : await placesOffering(indexes, p.name, p.to, { env: indexes.env }).catch(() => []);
    out.set(p.name, `${p.name} ${p.to} is another build than the recorded one: recorded from ${from} (${p.sourceFrom ?? ""}), installed ${p.sourceTo ?? ""}` +
        (now.length > 0 ? ` from one of ${now.join(", ")} (each offers ${p.name} ${p.to} now)` : ""));
  }
  return out;
}

function mismatchError(c: EnvironmentComparison, venvDir: string, builds = new Map<string, string>()): SnaptrailError {
  // A package of another build gets the longer line naming both origins instead of the short one.
  const short = describeDifferences(c).filter((l) => !builds.has(l.split(" ")[0] ?? ""));
  const lines = [...short, ...builds.values()].map((l) => `  ${l}`);
  return new MismatchError(`the environment rebuilt in ${venvDir} does not match the snapshot (package set ${c.actualDigest}, recorded ${c.recordedDigest}):\n${lines.join("\n")}`,
  );
}

interface Context {
  req: RebuildEnvironmentRequest;
  allowMismatch: boolean;
  venvDir: string;
  fingerprintCacheDir: string;
}

/**
 * The cached venv, if it is complete (its marker is there) and its packages are still exactly
 * what was built (a fingerprint, a few stat calls when nothing moved): else null, to rebuild.
 */
async function cachedVenv(ctx: Context): Promise<RebuildEnvironmentResult | null> {
  const marker = await readMarker(ctx.venvDir);
  if (marker === null) return null;
  const actual = await fingerprintVenv(ctx.venvDir, ctx.req.env, ctx.fingerprintCacheDir);
  if (actual === null) return null;
  const comparison = compareEnvironments(ctx.req.environment, actual);
  if (comparison.actualDigest !== marker.builtDigest) return null;
  if (!comparison.matches && !ctx.allowMismatch) throw mismatchError(comparison, ctx.venvDir);
  return { venvDir: ctx.venvDir, python: venvPython(ctx.venvDir), cached: true, installer: marker.installer, comparison };
}

function checkDigest(environment: EnvironmentSnapshot, digest: string): string {
  if (!DIGEST_PATTERN.test(digest)) throw new BadInputError(`environment digest ${JSON.stringify(digest)} is not sha256:<64 hex>`);
  const computed = snapshotDigest("environment", environment);
  if (computed !== digest) throw new DigestMismatchError(`the environment snapshot given has digest ${computed}, not ${digest}`, { expected: digest, actual: computed });
  return digest.slice("sha256:".length);
}

/**
 * Rebuilds a recorded environment as a venv: an interpreter of the recorded implementation and
 * exact version, the exact recorded package set (name==version from the index, VCS installs at
 * their commit, local and editable packages from the restored code) installed with --no-deps by
 * uv or pip, then fingerprinted with the agent's own capture and compared with the snapshot on
 * the package-set digest (see packageSetDigest). A difference throws MISMATCH naming every one,
 * unless allowMismatch.
 *
 * Venvs are cached in <cacheDir>/venvs/<environment digest hex>, built in place (a venv cannot be
 * moved) under a lock file, so two jobs restoring the same environment at once build it once. The
 * completion marker is written only after verification; a venv without it (a build that was
 * killed) is removed and rebuilt. A cache hit is fingerprinted again, not trusted blindly.
 */
export async function rebuildEnvironment(req: RebuildEnvironmentRequest): Promise<RebuildEnvironmentResult> {
  const parsed = restoreEnvOptionsSchema.safeParse({
    installer: req.installer,
    allowMismatch: req.allowMismatch,
    lockTimeoutMs: req.lockTimeoutMs,
    installTimeoutMs: req.installTimeoutMs,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid option ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`);
  }
  const opts = parsed.data;
  const hex = checkDigest(req.environment, req.environmentDigest);
  const cacheDir = path.resolve(req.cacheDir);
  const venvsDir = path.join(cacheDir, "venvs");
  const ctx: Context = { req, allowMismatch: opts.allowMismatch, venvDir: path.join(venvsDir, hex), fingerprintCacheDir: path.join(cacheDir, "venv-fingerprints") };
  const progress = req.onProgress ?? (() => undefined);

  const codeDir = req.codeDir === undefined || req.codeDir === "" ? undefined : path.resolve(req.codeDir);
  const plan = await planInstall(req.environment.packages, { codeDir, recordedCodeRoot: req.recordedCodeRoot });
  if (plan.unrestorable.length > 0 && !opts.allowMismatch) {
    const lines = plan.unrestorable.map((u) => `  ${u.name} ${u.version}: ${u.why}`);
    throw new NotFoundError(`${plan.unrestorable.length} recorded package(s) cannot be restored:\n${lines.join("\n")}`);
  }

  const hit = await cachedVenv(ctx);
  if (hit !== null) {
    progress({ phase: "verify", message: `cached venv ${ctx.venvDir} still matches what was built` });
    return hit;
  }

  const installer = chooseInstaller(opts.installer, req.env, cacheDir);
  // The recorded indexes, with this host's credentials: each must answer before anything is built.
  const indexes = planIndexes(req.environment, installer.name, installerEnv(req.env), codeDir ?? cacheDir);
  if (indexes !== null) {
    const shown = [indexes.recorded.indexUrl, ...indexes.recorded.extraIndexUrls, ...indexes.recorded.findLinks].filter((u) => u !== "");
    progress({ phase: "interpreter", message: `installing from the recorded ${indexes.recordedBy} indexes: ${shown.join(", ")}` });
    await checkIndexes(indexes, req.environment.packages, installer.name, { env: indexes.env });
  }
  const interp = req.environment.interpreter;
  progress({ phase: "interpreter", message: `looking for ${interp?.implementation || "cpython"} ${interp?.version ?? ""}` });
  const base = await findInterpreter({ implementation: interp?.implementation ?? "", version: interp?.version ?? "", python: req.python, env: req.env });
  progress({ phase: "interpreter", message: `using ${base.path} (${base.implementation} ${base.version}, ${base.where})` });

  await mkdir(venvsDir, { recursive: true });
  // No stale-by-age rule: a build may last an hour; a holder that died on this host is seen by its pid.
  const lock = await waitForLock(`${ctx.venvDir}.lock`, {
    timeoutMs: opts.lockTimeoutMs,
    onWait: (owner) => progress({ phase: "venv", message: `waiting for process ${owner.pid}, which is building ${ctx.venvDir}` }),
  });
  try {
    // Built by another process while this one waited for the lock.
    const built = await cachedVenv(ctx);
    if (built !== null) return built;

    const env = indexes?.env ?? installerEnv(req.env);
    await rm(ctx.venvDir, { recursive: true, force: true });
    progress({ phase: "venv", message: `creating ${ctx.venvDir}` });
    // uv installs into a venv without pip; pip needs its own copy in the venv to install with.
    const venvArgs = ["-m", "venv", ...(installer.name === "uv" ? ["--without-pip"] : []), ctx.venvDir];
    await runInstaller(base.path, venvArgs, { env, cwd: venvsDir, timeoutMs: opts.installTimeoutMs, what: `${base.path} -m venv` });
    const python = venvPython(ctx.venvDir);
    const fresh = installer.name === "pip" ? await fingerprintVenv(ctx.venvDir, req.env, "") : null;

    progress({ phase: "install", message: `installing ${plan.items.length} packages with ${installer.name}`, done: 0, total: plan.items.length });
    await installPackages({
      installer,
      python,
      items: plan.items,
      bootstrap: fresh?.packages.filter((p) => !p.shadowed) ?? [],
      env,
      indexArgs: indexes?.args ?? [],
      cwd: codeDir ?? venvsDir,
      timeoutMs: opts.installTimeoutMs,
      onProgress: progress,
    });

    progress({ phase: "verify", message: `fingerprinting ${ctx.venvDir}` });
    const actual = await fingerprintVenv(ctx.venvDir, req.env, ctx.fingerprintCacheDir);
    if (actual === null) throw new InternalError(`the venv built in ${ctx.venvDir} does not answer: its python ${python} does not run`);
    const comparison = compareEnvironments(req.environment, actual);
    if (!comparison.matches && !opts.allowMismatch) throw mismatchError(comparison, ctx.venvDir, await otherBuilds(comparison, req.environment, indexes));
    await writeMarker(ctx.venvDir, {
      format: MARKER_FORMAT,
      environmentDigest: req.environmentDigest,
      builtDigest: comparison.actualDigest,
      installer: installer.name,
      builtAt: new Date().toISOString(),
    });
    progress({ phase: "verify", message: comparison.matches ? `package set ${comparison.actualDigest} matches the snapshot` : `${describeDifferences(comparison).length} difference(s) from the snapshot (allowed)` });
    return { venvDir: ctx.venvDir, python, cached: false, installer: installer.name, comparison };
  } catch (err) {
    if (err instanceof SnaptrailError) throw err;
    throw new InternalError(`rebuilding the environment in ${ctx.venvDir} failed: ${errorMessage(err)}`, { cause: err });
  } finally {
    lock.release();
  }
}
