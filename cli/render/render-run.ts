import type { RunDetail } from "../../core/api-types.js";
import type { Package } from "../../core/model.js";
import { describeSource } from "../../core/diff/package-diff.js";
import { summariseGpus } from "../../core/diff/field-diff.js";
import { formatBytes } from "../../core/format-bytes.js";
import { shellJoin } from "../../core/diff/shell-quote.js";
import { alignRows, cell, formatDuration, formatTime, palette, plural, shortDigest, type Palette, type RenderOptions } from "./format.js";
import { exitText, statusPaint } from "./status.js";

export interface RenderRunOptions extends RenderOptions {
  /** Packages listed before the rest is summarised with a hint to use --json. */
  maxPackages?: number;
}

/** `snaptrail show RUN`: the run, what it ran and where, in sections. */
export function renderRun(r: RunDetail, opts: RenderRunOptions): string {
  const c = palette(opts);
  const out: string[] = [];
  const section = (title: string, lines: string[]): void => {
    if (lines.length === 0) return;
    out.push("", c.bold(title), ...lines);
  };
  const kv = (rows: Array<[string, string | null | undefined]>): string[] =>
    alignRows(rows.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [cell(k, c.dim), cell(v ?? "")]), "  ");

  const status = r.status === "running" ? "running" : `${r.status} (exit ${exitText(r)})`;
  out.push(
    ...alignRows(
      [
        [cell("run", c.dim), cell(r.runId, c.bold)],
        [cell("status", c.dim), cell(status, statusPaint(r.status, c))],
        [cell("started", c.dim), cell(formatTime(r.startedAt))],
        [cell("finished", c.dim), cell(r.finishedAt ? `${formatTime(r.finishedAt)}  (${formatDuration(r.durationMs)})` : "-")],
        [cell("host", c.dim), cell(r.hostname || "-")],
        ...(r.parentRunId ? [[cell("part of", c.dim), cell(r.parentRunId)]] : []),
        ...(r.rollbackOf ? [[cell("rollback of", c.dim), cell(r.rollbackOf)]] : []),
        ...(r.cachedFrom ? [[cell("cached from", c.dim), cell(`${r.cachedFrom}  (outputs restored, command skipped)`, c.cyan)]] : []),
        ...(r.agentVersion ? [[cell("agent", c.dim), cell(r.agentVersion)]] : []),
      ],
      "",
    ),
  );

  // A job run lists the step runs beneath it (newest first; the collector bounds the list). An
  // older collector sends no list.
  const children = (r.children as string[] | undefined) ?? [];
  section(`Runs beneath (${children.length})`, children.map((id) => `  ${id}`));

  const o = r.orchestratorContext;
  section("Orchestrator", [
    ...kv([
      ["kind", r.orchestrator],
      ["pipeline", r.pipeline],
      ["run", r.pipelineRun],
      ["step", r.step],
      ["attempt", r.attempt ? String(r.attempt) : null],
    ]),
    ...kv(Object.entries(o?.attributes ?? {}).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, v])),
  ]);

  const cfg = r.config;
  if (cfg) {
    const params = Object.entries(cfg.parameters ?? {}).sort(([x], [y]) => (x < y ? -1 : 1));
    section("Command", [
      ...(cfg.argv?.length ? [`  ${shellJoin(cfg.argv)}`] : []),
      ...kv([["cwd", cfg.cwd]]),
      ...(params.length > 0 ? [`  ${c.dim("parameters")}`, ...alignRows(params.map(([k, v]) => [k, v]), "    ")] : []),
    ]);
  }

  const env = r.environment;
  const py = env?.interpreter;
  if (py) {
    section("Interpreter", kv([
      ["python", [py.implementation, py.version].filter(Boolean).join(" ") + (py.kind ? ` (${py.kind})` : "")],
      ["executable", py.executable],
      ["prefix", py.prefix],
      ["platform", py.platform],
    ]));
  }
  if (env) section(packagesTitle(env.packages ?? [], c), packageLines(env.packages ?? [], opts.maxPackages ?? 40, c));

  const img = env?.image;
  if (img && (img.reference || img.digest)) {
    section("Image", kv([["reference", img.reference], ["digest", img.digest], ["runtime", img.runtime]]));
  }
  const os = env?.os;
  if (os && (os.prettyName || os.id)) section("OS", kv([["name", os.prettyName || [os.id, os.versionId].join(" ")], ["libc", os.libc]]));

  const h = r.host;
  if (h) {
    const gpuList = h.gpus ?? [];
    const drivers = [...new Set(gpuList.map((g) => g.driverVersion).filter(Boolean))].join(", ");
    const gpuExtra = [drivers && `driver ${drivers}`, h.cudaDriverVersion && `CUDA ${h.cudaDriverVersion}`].filter(Boolean).join(", ");
    const gpus = summariseGpus(gpuList);
    section("Host", kv([
      ["hostname", h.hostname],
      ["arch", h.arch],
      ["kernel", h.kernel],
      ["cpu", h.cpuModel ? `${h.cpuModel}${h.cpuCount ? ` (${plural(h.cpuCount, "CPU")})` : ""}` : h.cpuCount ? plural(h.cpuCount, "CPU") : null],
      ["memory", Number(h.memoryBytes) > 0 ? formatBytes(Number(h.memoryBytes)) : null],
      ["gpus", gpus ? `${gpus}${gpuExtra ? `  (${gpuExtra})` : ""}` : "none"],
    ]));
  }

  const code = r.code;
  if (code) {
    const g = code.git;
    section("Code", kv([
      ["commit", g?.commit ? `${g.commit}${g.branch ? ` (${g.branch})` : ""}${g.dirty ? "  dirty" : ""}` : "not a git work tree"],
      ["remote", g?.remoteUrl],
      ["files", plural((code.files ?? []).length, "file")],
      ["left out", (code.leftOut ?? []).length > 0 ? `${(code.leftOut ?? []).map((l) => l.path).join(", ")} (${code.leftOut?.[0]?.reason || "secret pattern"}: not recorded, not archived)` : null],
      ["archive", code.archiveDigest ? `${code.archiveDigest} (${formatBytes(Number(code.archiveBytes))})` : "not captured"],
    ]));
  }

  if (env?.env?.length) {
    section("Env vars", alignRows(env.env.map((v) => [v.name, v.redacted ? cell("(secret)", c.dim) : cell(v.value)]), "  "));
  }
  if (env?.modules?.length) section("Modules", env.modules.map((m) => `  ${m}`));

  if (r.warnings?.length) {
    section("Warnings", r.warnings.map((w) => `  ${c.yellow(w.source ? `[${w.source}]` : "[capture]")} ${w.message}`));
  }

  const outputs = r.outputs ?? [];
  if (outputs.length > 0) {
    const shown = outputs.slice(0, opts.maxPackages ?? 40);
    const lines = alignRows(
      shown.map((o) => [
        cell(o.path),
        o.digest ? cell(formatBytes(Number(o.size))) : cell("missing", c.yellow),
        cell(o.digest ? shortDigest(o.digest, 16) : "", c.dim),
        cell(o.stored ? "stored" : "", c.dim),
      ]),
      "  ",
    );
    if (outputs.length > shown.length) lines.push(c.dim(`  ... and ${outputs.length - shown.length} more (use --json for the full list)`));
    section(`Outputs ${c.dim(`(${outputs.length})`)}`, lines);
  }

  section("Digests", kv([
    ["environment", r.environmentDigest],
    ["host", r.hostDigest],
    ["code", r.codeDigest],
    ["cache key", r.cacheKey],
  ]));
  return `${out.join("\n")}\n`;
}

function packagesTitle(pkgs: readonly Package[], c: Palette): string {
  const shadowed = pkgs.filter((p) => p.shadowed).length;
  const n = pkgs.length - shadowed;
  return `Packages ${c.dim(`(${n}${shadowed ? `, plus ${shadowed} shadowed` : ""})`)}`;
}

function packageLines(pkgs: readonly Package[], max: number, c: Palette): string[] {
  const visible = pkgs.filter((p) => !p.shadowed);
  const shown = visible.slice(0, max);
  const lines = alignRows(
    shown.map((p) => {
      const kind = p.source?.kind ?? "";
      const src = kind && kind !== "index" && kind !== "unknown" ? describeSource(p.source) : "";
      return [cell(p.name), cell(p.version), cell(src, c.dim)];
    }),
    "  ",
  );
  if (visible.length > shown.length) lines.push(c.dim(`  ... and ${visible.length - shown.length} more (use --json for the full list)`));
  return lines;
}
