import type { CodeDiff, LeftOutChange, EnvVarChange, FieldChange, PackageChange, RunDiff, RunSummary } from "../../core/api-types.js";
import { alignRows, cell, formatTime, palette, plural, shortCommit, type Cell, type Palette, type RenderOptions } from "./format.js";
import { exitText, statusPaint } from "./status.js";

export interface RenderDiffOptions extends RenderOptions {
  /** Files listed in the Code section before the rest is counted. */
  maxFiles?: number;
  /** Whether the unified patches are printed (they are by default). */
  patches?: boolean;
}

const ARROW = "→";
/** A FieldChange whose two values together are longer than this is shown on two lines. */
const INLINE_MAX = 100;

/**
 * `snaptrail diff A B`: a one-line summary, then one section per kind of change, unchanged ones
 * left out: Packages, Interpreter, Image, OS, Code (files, then the patches), Config, Env vars,
 * Modules, Host.
 */
export function renderDiff(d: RunDiff, opts: RenderDiffOptions): string {
  const c = palette(opts);
  const out: string[] = [...header(d.a, d.b, c), ""];
  if (d.identical) {
    out.push(c.green("No differences: same code, environment and config."));
    // Identical as far as was recorded: a file left out on both sides was never compared.
    for (const l of d.code?.leftOut ?? []) out.push(`  ${c.yellow("S")} ${l.path}  ${c.dim(leftOutText(l))}`);
    return `${out.join("\n")}\n`;
  }
  out.push(c.bold(summaryLine(d)));
  const section = (title: string, lines: string[]): void => {
    if (lines.length > 0) out.push("", c.bold(title), ...lines);
  };

  const p = d.packages;
  const pkgTitle = `Packages ${c.dim(`(${[
    p.changed.length && `${p.changed.length} changed`,
    p.added.length && `${p.added.length} added`,
    p.removed.length && `${p.removed.length} removed`,
    `${p.unchanged} unchanged`,
  ].filter(Boolean).join(", ")})`)}`;
  section(pkgTitle, packageLines(d.packages, c));
  section("Interpreter", fieldLines(d.interpreter, c));
  section("Image", fieldLines(d.image, c));
  section("OS", fieldLines(d.os, c));
  if (d.code) section("Code", codeLines(d.code, c, opts));
  section("Config", fieldLines(d.config, c));
  section("Env vars", envLines(d.env, c));
  section("Modules", [...d.modules.added.map((m) => `${c.green("+")} ${m}`), ...d.modules.removed.map((m) => `${c.red("-")} ${m}`)]);
  section("Host", fieldLines(d.host, c));
  return `${out.join("\n")}\n`;
}

function header(a: RunSummary, b: RunSummary, c: Palette): string[] {
  const row = (label: string, r: RunSummary): Cell[] => [
    cell(label, c.dim),
    cell(r.runId, c.bold),
    cell(r.status === "running" ? "running" : `${r.status} (exit ${exitText(r)})`, statusPaint(r.status, c)),
    cell(formatTime(r.startedAt), c.dim),
  ];
  return alignRows([row("A", a), row("B", b)]);
}

/** "3 packages changed (1 major), 2 files changed, image unchanged". */
export function summaryLine(d: RunDiff): string {
  const parts: string[] = [];
  const p = d.packages;
  const major = p.changed.filter((x) => x.major).length;
  if (p.changed.length > 0) parts.push(`${plural(p.changed.length, "package")} changed${major ? ` (${major} major)` : ""}`);
  if (p.added.length > 0) parts.push(`${plural(p.added.length, "package")} added`);
  if (p.removed.length > 0) parts.push(`${plural(p.removed.length, "package")} removed`);

  const pyVersion = d.interpreter.find((f) => f.field === "version");
  if (pyVersion) parts.push(`Python ${pyVersion.from ?? "?"} ${ARROW} ${pyVersion.to ?? "?"}`);
  else if (d.interpreter.length > 0) parts.push("interpreter changed");

  const code = d.code;
  if (code) {
    const files = code.added.length + code.removed.length + code.modified.length + (code.leftOut ?? []).filter((l) => l.from !== l.to).length;
    if (files > 0) parts.push(`${plural(files, "file")} changed`);
    else if (code.commitFrom !== code.commitTo) parts.push("commit changed, same files");
    else if (code.dirtyFrom !== code.dirtyTo || code.branchFrom !== code.branchTo) parts.push("git state changed");
    else parts.push("code unchanged");
  }
  parts.push(d.image.length > 0 ? "image changed" : "image unchanged");
  if (d.config.length > 0) parts.push(`config changed (${d.config.map((f) => f.field).join(", ")})`);
  if (d.env.length > 0) parts.push(`${plural(d.env.length, "env var")} changed`);
  const modules = d.modules.added.length + d.modules.removed.length;
  if (modules > 0) parts.push(`modules changed`);
  if (d.os.length > 0) parts.push("OS changed");
  if (d.host.length === 1 && d.host[0]?.field === "hostname") parts.push("different host");
  else if (d.host.length > 0) parts.push(`host differs (${d.host.map((f) => f.field).join(", ")})`);
  return parts.join(", ");
}

/** Package changes as aligned rows; also used by `restore` to show what did not come back. */
export function packageLines(p: Pick<RunDiff["packages"], "added" | "removed" | "changed">, c: Palette): string[] {
  const rows: Cell[][] = [];
  const directionPaint = (x: PackageChange) =>
    x.direction === "upgrade" ? c.cyan : x.direction === "downgrade" ? c.yellow : x.direction === "source" ? c.magenta : c.dim;
  for (const x of p.changed) {
    const extra = x.sourceFrom !== undefined || x.sourceTo !== undefined ? `${x.sourceFrom ?? "?"} ${ARROW} ${x.sourceTo ?? "?"}` : "";
    rows.push([
      cell(" "),
      cell(x.name, x.major ? c.bold : undefined),
      cell(x.from),
      cell(ARROW),
      cell(x.to),
      cell(x.direction, directionPaint(x)),
      cell(x.major ? "MAJOR" : extra, x.major ? (s) => c.bold(c.red(s)) : c.dim),
      cell(x.major ? extra : "", c.dim),
    ]);
  }
  for (const x of p.added) rows.push([cell("+", c.green), cell(x.name, c.green), cell(""), cell(""), cell(x.version, c.green), cell("added", c.green)]);
  for (const x of p.removed) rows.push([cell("-", c.red), cell(x.name, c.red), cell(x.version, c.red), cell(""), cell(""), cell("removed", c.red)]);
  // "+ name  1.0 → 2.0  upgrade  MAJOR": one space after the marker and around the arrow.
  return alignRows(rows, "", [" ", "  ", " ", " ", "  ", "  ", "  "]);
}

export function fieldLines(changes: readonly FieldChange[], c: Palette): string[] {
  const inline: Cell[][] = [];
  const out: string[] = [];
  const none = (v: string | null): Cell => (v === null ? cell("(none)", c.dim) : cell(v));
  for (const f of changes) {
    if ((f.from ?? "").length + (f.to ?? "").length > INLINE_MAX) continue;
    inline.push([cell(f.field, c.dim), none(f.from), cell(ARROW), none(f.to)]);
  }
  out.push(...alignRows(inline, "  ", ["  ", " ", " "]));
  for (const f of changes) {
    if ((f.from ?? "").length + (f.to ?? "").length <= INLINE_MAX) continue;
    out.push(`  ${c.dim(f.field)}`, `    ${c.red("-")} ${f.from ?? c.dim("(none)")}`, `    ${c.green("+")} ${f.to ?? c.dim("(none)")}`);
  }
  return out;
}

function envLines(changes: readonly EnvVarChange[], c: Palette): string[] {
  const rows = changes.map((e): Cell[] => {
    const marker = e.from === null ? cell("+", c.green) : e.to === null ? cell("-", c.red) : cell(" ");
    if (e.redacted) {
      const what = e.from === null ? "(secret added)" : e.to === null ? "(secret removed)" : "(secret changed)";
      return [marker, cell(e.name), cell(what, c.yellow)];
    }
    if (e.from === null) return [marker, cell(e.name), cell(e.to ?? "", c.green)];
    if (e.to === null) return [marker, cell(e.name), cell(e.from, c.red)];
    return [marker, cell(e.name), cell(`${e.from} ${ARROW} ${e.to}`)];
  });
  return alignRows(rows, "", [" "]);
}

function codeLines(code: CodeDiff, c: Palette, opts: RenderDiffOptions): string[] {
  const out: string[] = [];
  const rows: Cell[][] = [];
  if (code.commitFrom !== code.commitTo) rows.push([cell("commit", c.dim), cell(`${shortCommit(code.commitFrom)} ${ARROW} ${shortCommit(code.commitTo)}`)]);
  else if (code.commitFrom) rows.push([cell("commit", c.dim), cell(`${shortCommit(code.commitFrom)} (same)`, c.dim)]);
  if (code.branchFrom !== code.branchTo) rows.push([cell("branch", c.dim), cell(`${code.branchFrom ?? "(none)"} ${ARROW} ${code.branchTo ?? "(none)"}`)]);
  if (code.dirtyFrom !== code.dirtyTo) rows.push([cell("dirty", c.dim), cell(`${code.dirtyFrom ? "yes" : "no"} ${ARROW} ${code.dirtyTo ? "yes" : "no"}`)]);
  out.push(...alignRows(rows, "  "));

  const files: Array<[string, string]> = [
    ...code.modified.map((f): [string, string] => ["M", f]),
    ...code.added.map((f): [string, string] => ["A", f]),
    ...code.removed.map((f): [string, string] => ["D", f]),
  ].sort((x, y) => (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  const maxFiles = opts.maxFiles ?? 100;
  const markPaint = { M: c.yellow, A: c.green, D: c.red } as Record<string, (s: string) => string>;
  for (const [mark, path] of files.slice(0, maxFiles)) out.push(`  ${(markPaint[mark] ?? String)(mark)} ${path}`);
  if (files.length > maxFiles) out.push(c.dim(`  ... and ${files.length - maxFiles} more files (use --json for all)`));
  for (const l of code.leftOut ?? []) out.push(`  ${c.yellow("S")} ${l.path}  ${c.dim(leftOutText(l))}`);
  if (code.note) out.push(c.dim(`  note: ${code.note}`));

  if (opts.patches !== false) {
    for (const patch of code.patches) {
      out.push("");
      if (patch.binary) out.push(c.bold(`Binary file ${patch.path} differs`));
      else out.push(...colourPatch(patch.unified, c));
    }
  }
  return out;
}

/** A left-out file's line: never "absent" when the run had it, and never compared. */
function leftOutText(l: LeftOutChange): string {
  const why = `left out (${l.reason || "secret pattern"})`;
  const side = (state: LeftOutChange["from"]): string => (state === "left out" ? why : state === "recorded" ? "recorded" : "absent");
  if (l.from === "left out" && l.to === "left out") return `${why} in both runs: content not recorded, not compared`;
  return `${side(l.from)} ${ARROW} ${side(l.to)}`;
}

function colourPatch(unified: string, c: Palette): string[] {
  const lines = unified.replace(/\n$/, "").split("\n");
  return lines.map((l) => {
    if (l.startsWith("--- ") || l.startsWith("+++ ") || l.startsWith("old mode") || l.startsWith("new mode")) return c.bold(l);
    if (l.startsWith("@@")) return c.cyan(l);
    if (l.startsWith("+")) return c.green(l);
    if (l.startsWith("-")) return c.red(l);
    if (l.startsWith("\\")) return c.dim(l);
    return l;
  });
}
