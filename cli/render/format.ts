import pc from "picocolors";

export interface RenderOptions {
  /** ANSI colours; false gives plain text (pipes, NO_COLOR, --no-color). */
  color: boolean;
}

export type Paint = (s: string) => string;
export type Palette = ReturnType<typeof pc.createColors>;

export function palette(opts: RenderOptions): Palette {
  return pc.createColors(opts.color);
}

/** A table cell: its plain text (used for widths) and how to colour it. */
export interface Cell {
  text: string;
  paint?: Paint;
}

export function cell(text: string, paint?: Paint): Cell {
  return paint ? { text, paint } : { text };
}

/**
 * Rows of cells as aligned lines: each column as wide as its widest text, columns `gap` apart
 * (one string, or one per column boundary), every line starting with `indent`, trailing spaces
 * trimmed. Widths use .length, which is right for the ASCII the data mostly is.
 */
export function alignRows(rows: ReadonlyArray<ReadonlyArray<Cell | string>>, indent = "", gap: string | readonly string[] = "  "): string[] {
  const norm = rows.map((r) => r.map((c) => (typeof c === "string" ? { text: c } : c)));
  const widths: number[] = [];
  for (const r of norm) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.text.length)));
  const gapAfter = (i: number): string => (typeof gap === "string" ? gap : (gap[i] ?? "  "));
  return norm.map((r) => {
    let last = r.length - 1;
    while (last >= 0 && r[last]?.text === "") last--;
    let line = indent;
    r.slice(0, last + 1).forEach((c, i) => {
      line += c.paint && c.text ? c.paint(c.text) : c.text;
      if (i < last) line += " ".repeat((widths[i] ?? 0) - c.text.length) + gapAfter(i);
    });
    return line;
  });
}

/** "sha256:ab12cd34" from a full digest; "-" for none. */
export function shortDigest(digest: string | null | undefined, hex = 8): string {
  if (!digest) return "-";
  const m = /^([a-z0-9]+):([0-9a-f]+)$/i.exec(digest);
  return m ? `${m[1]}:${(m[2] ?? "").slice(0, hex)}` : digest;
}

export function shortCommit(commit: string | null | undefined): string {
  return commit ? commit.slice(0, 12) : "-";
}

/** "850ms", "12.3s", "41m05s", "2h03m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const totalS = Math.round(s);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const sec = totalS % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  return `${m}m${String(sec).padStart(2, "0")}s`;
}

/** "2024-05-01 02:00:00Z" (UTC, so output is the same wherever it is read). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
