import { createRequire } from "node:module";
import path from "node:path";
import { sha256Digest } from "../../core/digest.js";
import type { CaptureResult } from "../capture/capture-types.js";
import { expandDeclaredPaths } from "../outputs/declared-files.js";
import { hashFile } from "../outputs/hash-file.js";

const canonicalize = createRequire(import.meta.url)("canonicalize") as (input: unknown) => string | undefined;

/** Inputs hashed for one key at most; past it the run is not cached (a key over part of the inputs would lie). */
export const MAX_CACHE_INPUTS = 100_000;

/** What the key is the digest of (RFC 8785 canonical JSON). Paths are host-independent where they can be. */
export interface CacheKeyParts {
  /** The code as files and commit, without the declared outputs (a run writing into its work tree must not change its own key). */
  code: { commit: string; files: { path: string; sha256: string; mode: number }[]; leftOut?: { path: string; marker: string }[] } | null;
  environmentDigest: string;
  argv: string[];
  /** The working directory relative to the code root ("." at the root); absolute outside a work tree. */
  cwd: string;
  inputs: { path: string; digest: string }[];
  /** Declared outputs: another set of outputs is another result. */
  outputs: string[];
  parameters: Record<string, string>;
}

export type CacheKeyResult = { ok: true; key: string; parts: CacheKeyParts; warnings: string[] } | { ok: false; reason: string };

/**
 * The cache key of running `capture`'s command with these declared inputs and outputs. Inputs
 * are hashed here, before the command runs (their content is the point). A path inside the code
 * root is written relative to it, so the same checkout at another place has the same key.
 */
export async function cacheKeyFor(capture: CaptureResult, cwd: string, inputs: readonly string[], outputs: readonly string[]): Promise<CacheKeyResult> {
  const root = capture.code?.root;
  const portable = (absolute: string): string => {
    if (!root) return absolute;
    const rel = path.relative(root, absolute);
    if (rel === "") return ".";
    return rel.startsWith("..") || path.isAbsolute(rel) ? absolute : rel.split(path.sep).join("/");
  };
  const outputPaths = [...new Set(outputs.map((o) => portable(path.resolve(cwd, o))))].sort();
  const expanded = await expandDeclaredPaths(inputs, cwd, MAX_CACHE_INPUTS);
  if (expanded.truncated) return { ok: false, reason: `more than ${MAX_CACHE_INPUTS} input files` };
  const warnings = expanded.missing.map((m) => `input ${m} does not exist (its absence is part of the cache key)`);
  const hashed: { path: string; digest: string }[] = [];
  for (const file of expanded.files) {
    try {
      hashed.push({ path: portable(file.absolute), digest: (await hashFile(file.absolute)).digest });
    } catch (err) {
      return { ok: false, reason: `cannot read input ${file.path}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  for (const m of expanded.missing) hashed.push({ path: portable(path.resolve(cwd, m)), digest: "" });
  hashed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const underOutput = (p: string): boolean => outputPaths.some((o) => p === o || p.startsWith(`${o}/`));
  const code = capture.code
    ? {
        commit: capture.code.git?.commit ?? "",
        files: (capture.code.files ?? []).filter((f) => !underOutput(f.path)).map((f) => ({ path: f.path, sha256: f.sha256, mode: f.mode })),
        // A file left out as a secret counts by its salted marker, never its hash: a changed .env
        // is a miss, and the key cannot be checked against guessed contents without the salt.
        ...(capture.leftOutFingerprints?.length ? { leftOut: capture.leftOutFingerprints.filter((f) => !underOutput(f.path)) } : {}),
      }
    : null;
  const parts: CacheKeyParts = {
    code,
    environmentDigest: capture.digests.environment,
    argv: capture.config.argv ?? [],
    cwd: portable(path.resolve(cwd)),
    inputs: hashed,
    outputs: outputPaths,
    parameters: capture.config.parameters ?? {},
  };
  const json = canonicalize(parts);
  if (json === undefined) return { ok: false, reason: "the key's parts cannot be canonicalised" };
  return { ok: true, key: sha256Digest(json), parts, warnings };
}
