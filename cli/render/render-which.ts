import type { WhichAnswer } from "../commands/which.js";
import { formatBytes } from "../../core/format-bytes.js";
import { alignRows, cell, formatTime, palette, plural, shortCommit, shortDigest, type RenderOptions } from "./format.js";
import { statusPaint } from "./status.js";

/** `snaptrail which FILE...`: per file, its hash and the runs that produced it, newest first. */
export function renderWhich(answers: readonly WhichAnswer[], opts: RenderOptions): string {
  const c = palette(opts);
  const out: string[] = [];
  for (const a of answers) {
    if (out.length > 0) out.push("");
    const head = `${c.bold(a.file)}  ${c.dim(`${a.digest}  ${formatBytes(a.size)}`)}`;
    if (a.producers.length === 0) {
      out.push(head, `  ${c.yellow("no recorded run produced this content")}`);
      continue;
    }
    out.push(`${head}  ${c.dim(`produced by ${plural(a.producers.length, "run")}`)}`);
    const header = ["RUN", "STATUS", "STARTED", "AS", "COMMIT", "ENV", "CODE"].map((h) => cell(h, c.bold));
    const rows = a.producers.map((p) => [
      cell(p.run.runId),
      cell(p.run.cachedFrom ? `${p.run.status} (cached)` : p.run.status, statusPaint(p.run.status, c)),
      cell(formatTime(p.run.startedAt)),
      cell(p.path),
      cell(shortCommit(p.run.gitCommit), c.dim),
      cell(shortDigest(p.run.environmentDigest, 12), c.dim),
      cell(shortDigest(p.run.codeDigest, 12), c.dim),
    ]);
    out.push(...alignRows([header, ...rows], "  "));
  }
  return `${out.join("\n")}\n`;
}
