import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { batchScriptPath } from "./batch-script-path.js";
import { NO_FOLLOW } from "./private-dir.js";
import { redactScript } from "./redact-script.js";

/**
 * The batch script as submitted, secrets redacted (redact-script.ts), read from slurmd's spool on
 * the batch host: "" with the reason when it cannot be (not the batch host, a step's task, too
 * large: the record then says so instead of holding a partial script, which a resubmit would run).
 */
export function readBatchScript(env: NodeJS.ProcessEnv, jobId: string, salt: string, maxBytes: number): { script: string; warning?: string } {
  const file = batchScriptPath(env, jobId);
  if (!file) return { script: "", warning: `no batch script for job "${jobId}"` };
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NO_FOLLOW);
  } catch (err) {
    return { script: "", warning: `batch script not readable at ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { script: "", warning: `batch script is ${size} bytes, above SNAPTRAIL_SLURM_MAX_SCRIPT_BYTES (${maxBytes}): not recorded` };
    const buf = Buffer.alloc(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, buf, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    const r = redactScript(buf.subarray(0, at).toString("utf8"), salt);
    return r.redacted ? { script: r.script, warning: "secrets in the batch script were redacted" } : { script: r.script };
  } finally {
    closeSync(fd);
  }
}
