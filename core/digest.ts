import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { SnapshotKind } from "./model.js";

// canonicalize is CommonJS whose typings claim an ES default export; require gives the function.
const canonicalize = createRequire(import.meta.url)("canonicalize") as (input: unknown) => string | undefined;

// Fields that differ between hosts or runs without the software differing. Leaving them out is
// what lets a thousand identical tasks share one stored snapshot.
const VOLATILE: Record<SnapshotKind, ReadonlySet<string>> = {
  environment: new Set(["capturedAt"]),
  host: new Set(["capturedAt"]),
  code: new Set(["root", "capturedAt"]),
};

/**
 * Drops empty values (proto3 defaults: "", 0, false, [], {}, null) so that an object built by
 * the agent and the same object decoded by the collector with defaults filled in normalise to
 * one form. Arrays keep their order: callers sort them where order is not meaningful.
 */
export function normalise(value: unknown): unknown {
  if (value === null || value === undefined || value === "" || value === 0 || value === false) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(normalise).map((v) => (v === undefined ? null : v));
    return items.length === 0 ? undefined : items;
  }
  if (Buffer.isBuffer(value)) return value.length === 0 ? undefined : value.toString("base64");
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const n = normalise(v);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

/** The canonical JSON (RFC 8785) a snapshot's digest is taken over. */
export function canonicalSnapshotJson(kind: SnapshotKind, body: object): string {
  const stripped: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!VOLATILE[kind].has(k)) stripped[k] = v;
  const json = canonicalize({ kind, body: normalise(stripped) ?? {} });
  if (json === undefined) throw new Error(`snapshot of kind ${kind} cannot be canonicalised`);
  return json;
}

/** "sha256:<hex>" over the canonical JSON of a snapshot. */
export function snapshotDigest(kind: SnapshotKind, body: object): string {
  return sha256Digest(canonicalSnapshotJson(kind, body));
}

export function sha256Digest(data: string | Uint8Array): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
