import type { Gpu } from "../../core/model.js";

/** The query whose output parseNvidiaSmiCsv reads. */
export const NVIDIA_SMI_QUERY_ARGS: readonly string[] = [
  "--query-gpu=index,name,uuid,memory.total,driver_version",
  "--format=csv,noheader,nounits",
];

function toInt(text: string): number {
  const m = /^(\d+)(?:\s*MiB)?$/.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * GPUs from `nvidia-smi --query-gpu=index,name,uuid,memory.total,driver_version
 * --format=csv,noheader,nounits`: one line per GPU, fields separated by ", ", e.g.
 * `0, NVIDIA H100 80GB HBM3, GPU-3f1c..., 81559, 550.54.15`. "[N/A]" and unparseable numbers
 * become 0 or "". Sorted by index.
 */
export function parseNvidiaSmiCsv(text: string): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const fields = line.split(",").map((f) => f.trim());
    if (fields.length < 5) continue;
    // A name with a comma in it would add fields: the first is the index, the last three are
    // uuid, memory and driver, and the name is everything between.
    const index = fields[0] ?? "";
    const driver = fields[fields.length - 1] ?? "";
    const memory = fields[fields.length - 2] ?? "";
    const uuid = fields[fields.length - 3] ?? "";
    const name = fields.slice(1, fields.length - 3).join(", ");
    if (!/^\d+$/.test(index)) continue;
    const na = (v: string) => (/^\[?N\/A\]?$/i.test(v) ? "" : v);
    gpus.push({ index: toInt(index), model: na(name), uuid: na(uuid), memoryMib: toInt(memory), driverVersion: na(driver) });
  }
  return gpus.sort((a, b) => a.index - b.index);
}

/**
 * "13.0" from `nvidia-smi --version` ("CUDA Version        : 13.0") or from the banner of a
 * plain `nvidia-smi` ("CUDA Version: 13.0"), or "".
 */
export function parseCudaVersion(text: string): string {
  return /CUDA Version\s*:\s*([0-9][0-9.]*)/.exec(text)?.[1] ?? "";
}
