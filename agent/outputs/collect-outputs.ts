import { errorMessage } from "../../core/errors.js";
import type { OutputFile } from "../../core/model.js";
import { MAX_OUTPUTS_PER_RUN } from "../../core/output-limits.js";
import { expandDeclaredPaths } from "./declared-files.js";
import { hashFile } from "./hash-file.js";

export interface CollectedOutput extends OutputFile {
  /** Where the file is on this host ("" for a missing output). */
  absolute: string;
}

export interface CollectedOutputs {
  /** Sorted by path; a declared path that did not exist has digest "". */
  outputs: CollectedOutput[];
  /** Every declared output was found and hashed: the list is the whole truth. */
  complete: boolean;
  warnings: string[];
}

/** Files hashed at once: enough to overlap small files' opens, few enough not to thrash a disk. */
const CONCURRENCY = 4;

/**
 * Hashes the declared outputs after the command ended. Never throws and never runs past
 * `timeoutMs`: files not hashed by then are left out and named in one warning, so a huge output
 * costs the job at most that much time at its end.
 */
export async function collectOutputs(declared: readonly string[], cwd: string, timeoutMs: number): Promise<CollectedOutputs> {
  const warnings: string[] = [];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const expanded = await expandDeclaredPaths(declared, cwd, MAX_OUTPUTS_PER_RUN);
    let complete = !expanded.truncated;
    if (expanded.truncated) warnings.push(`more than ${MAX_OUTPUTS_PER_RUN} output files: only the first ${MAX_OUTPUTS_PER_RUN} are recorded`);
    for (const m of expanded.missing) warnings.push(`output ${m} does not exist`);
    if (expanded.missing.length > 0) complete = false;
    const hashed: (CollectedOutput | undefined)[] = expanded.files.map(() => undefined);
    const failed: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!controller.signal.aborted && next < expanded.files.length) {
        const i = next++;
        const file = expanded.files[i]!;
        try {
          const h = await hashFile(file.absolute, controller.signal);
          hashed[i] = { path: file.path, digest: h.digest, size: h.size, mode: h.mode, stored: false, absolute: file.absolute };
        } catch (err) {
          if (!controller.signal.aborted) failed.push(`${file.path} (${errorMessage(err)})`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const done = hashed.filter((o): o is CollectedOutput => o !== undefined);
    const unhashed = expanded.files.length - done.length - failed.length;
    if (unhashed > 0) {
      warnings.push(`${unhashed} of ${expanded.files.length} output files not hashed within ${timeoutMs} ms (outputHashTimeoutMs); they are not recorded`);
      complete = false;
    }
    if (failed.length > 0) {
      warnings.push(`cannot read output ${failed.slice(0, 3).join(", ")}${failed.length > 3 ? ` and ${failed.length - 3} more` : ""}`);
      complete = false;
    }
    const missing: CollectedOutput[] = expanded.missing.map((p) => ({ path: p, digest: "", size: 0, mode: 0, stored: false, absolute: "" }));
    const outputs = [...done, ...missing.filter((m) => !done.some((d) => d.path === m.path))].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { outputs, complete, warnings };
  } catch (err) {
    return { outputs: [], complete: false, warnings: [`outputs not recorded: ${errorMessage(err)}`] };
  } finally {
    clearTimeout(timer);
  }
}

/** The wire form: what the run reports. */
export function toOutputFiles(outputs: readonly CollectedOutput[]): OutputFile[] {
  return outputs.map(({ path, digest, size, mode, stored }) => ({ path, digest, size, mode, stored }));
}
