import type { RestoreReport } from "../../agent/restore/restore-snapshot.js";
import { alignRows, cell, palette, plural, shortDigest, type RenderOptions } from "./format.js";
import { fieldLines, packageLines } from "./render-diff.js";

/** What `snaptrail restore` did, and every difference from the snapshot when there is one. */
export function renderRestore(r: RestoreReport, opts: RenderOptions): string {
  const c = palette(opts);
  const lines: string[] = [];
  const what = r.runId !== null ? `run ${r.runId}` : `snapshot ${r.rollbackOf}`;
  const restored = r.code !== null || r.environment?.mode === "rebuild";
  const verb = restored ? (r.matches ? c.green("Restored") : c.red("Restored with differences:")) : r.matches ? c.green("Matches") : c.red("Differs from");
  lines.push(`${verb} ${what}`);
  const rows: ReturnType<typeof cell>[][] = [];
  if (r.code) {
    rows.push([cell("code", c.dim), cell(`${plural(r.code.files, "file")} into ${r.code.into} (${r.code.method}), ${r.code.verified} verified by sha256`)]);
    const skipped = r.code.notRestored ?? [];
    if (skipped.length > 0) {
      const why = skipped[0]?.reason || "secret pattern";
      const git = r.code.method === "git" ? "; a tracked one holds the commit's content" : "";
      rows.push([cell("not restored", c.dim), cell(`${skipped.map((s) => s.path).join(", ")} (left out: ${why}; put them back yourself${git})`, c.yellow)]);
    }
  }
  const env = r.environment;
  if (env?.mode === "rebuild") {
    const verdict = env.comparison.matches ? c.green("matches the snapshot") : c.red("differs from the snapshot");
    rows.push([cell("environment", c.dim), cell(`${env.cached ? "cached venv" : `venv built with ${env.installer}`} ${env.venvDir}: ${verdict}`)]);
    rows.push([cell("package set", c.dim), cell(`${shortDigest(env.comparison.recordedDigest, 12)} recorded, ${shortDigest(env.comparison.actualDigest, 12)} restored`)]);
    rows.push([cell("use it", c.dim), cell(`source ${env.venvDir}/bin/activate   (or run ${env.python})`)]);
  } else if (env?.mode === "verify") {
    const verdict = env.comparison.matches ? c.green("matches the snapshot") : c.red("differs from the snapshot");
    rows.push([cell("environment", c.dim), cell(`current interpreter ${verdict}`)]);
  } else if (env?.mode === "image") {
    const verdict = env.matches ? c.green("matches") : c.red(`differs${env.reason ? `: ${env.reason}` : ""}`);
    rows.push([cell("image", c.dim), cell(`${env.actual || "(unknown)"} ${verdict} (recorded ${env.recorded || "(none)"})`)]);
  }
  lines.push(...alignRows(rows, "  "));
  if (env && env.mode !== "image" && !env.comparison.matches) {
    const cmp = env.comparison;
    if (cmp.interpreter.length > 0) lines.push("", c.bold("Interpreter (recorded → here)"), ...fieldLines(cmp.interpreter, c));
    if (cmp.packages.added.length + cmp.packages.removed.length + cmp.packages.changed.length > 0) {
      lines.push("", c.bold("Packages (recorded → here)"), ...packageLines(cmp.packages, c).map((l) => `  ${l}`));
    }
  }
  return `${lines.join("\n")}\n`;
}
