import { readFile } from "node:fs/promises";
import { sha256Digest } from "../../core/digest.js";
import { errorMessage } from "../../core/errors.js";
import { formatBytes } from "../../core/format-bytes.js";
import type { EventSink } from "../sinks/event-sink.js";
import type { CollectedOutput } from "../outputs/collect-outputs.js";

export interface UploadResult {
  outputs: CollectedOutput[];
  warnings: string[];
}

/**
 * Puts each output's bytes into the collector's blob store (those it lacks), one at a time so
 * memory holds one output at most. An output above `maxBytes`, changed since it was hashed, or
 * refused stays stored=false, which keeps the run from being a cache source.
 */
export async function uploadOutputs(outputs: readonly CollectedOutput[], sink: EventSink, maxBytes: number): Promise<UploadResult> {
  const warnings: string[] = [];
  const digests = [...new Set(outputs.filter((o) => o.digest !== "").map((o) => o.digest))];
  const known = await sink.hasDigests(digests);
  const present = known.ok ? known.value : new Set<string>();
  const stored = new Set<string>(present);
  const failed = new Set<string>();
  for (const o of outputs) {
    if (o.digest === "" || stored.has(o.digest) || failed.has(o.digest)) continue;
    if (o.size > maxBytes) {
      warnings.push(`output ${o.path} (${formatBytes(o.size)}) is over maxCacheOutputBytes (${formatBytes(maxBytes)}): not cached`);
      failed.add(o.digest);
      continue;
    }
    try {
      const bytes = await readFile(o.absolute);
      if (sha256Digest(bytes) !== o.digest) {
        warnings.push(`output ${o.path} changed after the command ended: not cached`);
        failed.add(o.digest);
        continue;
      }
      const put = await sink.putBlob(o.digest, bytes);
      if (put.ok) stored.add(o.digest);
      else {
        warnings.push(`output ${o.path} not uploaded: ${put.error.message}`);
        failed.add(o.digest);
      }
    } catch (err) {
      warnings.push(`output ${o.path} not uploaded: ${errorMessage(err)}`);
      failed.add(o.digest);
    }
  }
  return { outputs: outputs.map((o) => ({ ...o, stored: o.digest !== "" && stored.has(o.digest) })), warnings };
}
