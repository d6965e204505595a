import type { CodeSnapshot } from "../../core/model.js";
import { MAX_OUTPUT_PATH_CHARS } from "../../core/output-limits.js";

/**
 * A code snapshot's left-out files (secret pattern) are names only: each once, a path the file
 * list does not also hold (a left-out file never has a hash), and a reason. The reason to
 * reject, or undefined.
 */
export function checkLeftOut(code: Partial<CodeSnapshot> | null | undefined): string | undefined {
  const leftOut = code?.leftOut ?? [];
  if (leftOut.length === 0) return undefined;
  const files = new Set((code?.files ?? []).map((f) => f.path));
  const seen = new Set<string>();
  for (const [i, f] of leftOut.entries()) {
    const path = f.path ?? "";
    if (path === "") return `code left_out ${i} has an empty path`;
    if (path.length > MAX_OUTPUT_PATH_CHARS || path.includes("\u0000")) return `code left_out ${i} has a path over ${MAX_OUTPUT_PATH_CHARS} characters or with a NUL`;
    if ((f.reason ?? "") === "") return `code left_out ${JSON.stringify(path)} gives no reason`;
    if (seen.has(path)) return `code left_out lists ${JSON.stringify(path)} twice`;
    if (files.has(path)) return `code left_out ${JSON.stringify(path)} is in the file list too: a left-out file has no hash`;
    seen.add(path);
  }
  return undefined;
}
