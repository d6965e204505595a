import type { FieldChange } from "../api-types.js";
import type { ContainerImage, Gpu, HostSnapshot, Interpreter, OsInfo } from "../model.js";
import { formatBytes } from "../format-bytes.js";

type Getter<T> = (x: T) => string | number | null | undefined;

/**
 * The fields of `from` and `to` that differ, in the order given. Empty strings (proto3 defaults)
 * and a missing object both read as null, so "not known" never shows as a change to "".
 */
export function diffFields<T>(from: T | null, to: T | null, fields: ReadonlyArray<readonly [string, Getter<T>]>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [name, get] of fields) {
    const a = display(from === null ? null : get(from));
    const b = display(to === null ? null : get(to));
    if (a !== b) out.push({ field: name, from: a, to: b });
  }
  return out;
}

function display(v: string | number | null | undefined): string | null {
  if (v === null || v === undefined || v === "") return null;
  return String(v);
}

export function diffInterpreter(a: Interpreter | null, b: Interpreter | null): FieldChange[] {
  return diffFields(a, b, [
    ["implementation", (i) => i.implementation],
    ["version", (i) => i.version],
    ["kind", (i) => i.kind],
    ["executable", (i) => i.executable],
    ["prefix", (i) => i.prefix],
    ["basePrefix", (i) => i.basePrefix],
    ["platform", (i) => i.platform],
  ]);
}

export function diffImage(a: ContainerImage | null, b: ContainerImage | null): FieldChange[] {
  // `source` says where the digest was read from; it is not a property of the image.
  return diffFields(a, b, [
    ["reference", (i) => i.reference],
    ["digest", (i) => i.digest],
    ["runtime", (i) => i.runtime],
  ]);
}

export function diffOs(a: OsInfo | null, b: OsInfo | null): FieldChange[] {
  return diffFields(a, b, [
    ["id", (o) => o.id],
    ["version", (o) => o.versionId],
    ["name", (o) => o.prettyName],
    ["libc", (o) => o.libc],
  ]);
}

/** GPU UUIDs and indexes are left out: two nodes with the same cards are the same hardware. */
export function diffHost(a: HostSnapshot | null, b: HostSnapshot | null): FieldChange[] {
  return diffFields(a, b, [
    ["hostname", (h) => h.hostname],
    ["arch", (h) => h.arch],
    ["kernel", (h) => h.kernel],
    ["cpu", (h) => h.cpuModel],
    ["cpus", (h) => h.cpuCount || null],
    ["memory", (h) => (Number(h.memoryBytes) > 0 ? formatBytes(Number(h.memoryBytes)) : null)],
    ["gpus", (h) => summariseGpus(h.gpus ?? [])],
    ["gpuDriver", (h) => unique((h.gpus ?? []).map((g) => g.driverVersion)).join(", ")],
    ["cudaDriver", (h) => h.cudaDriverVersion],
  ]);
}

/** "2 x NVIDIA H100 80GB HBM3", or "1 x NVIDIA A100-SXM4-40GB, 1 x Tesla T4"; null for none. */
export function summariseGpus(gpus: readonly Gpu[]): string | null {
  if (gpus.length === 0) return null;
  const counts = new Map<string, number>();
  for (const g of gpus) {
    const model = g.model || "unknown GPU";
    counts.set(model, (counts.get(model) ?? 0) + 1);
  }
  return [...counts].map(([model, n]) => `${n} x ${model}`).join(", ");
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs.filter((x) => x !== ""))];
}
