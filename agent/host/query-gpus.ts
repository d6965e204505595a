import type { CaptureWarning, Gpu } from "../../core/model.js";
import { findOnPath } from "../capture/find-on-path.js";
import { runCommand } from "../capture/run-command.js";
import { NVIDIA_SMI_QUERY_ARGS, parseCudaVersion, parseNvidiaSmiCsv } from "./parse-nvidia-smi.js";

export interface GpuQuery {
  gpus: Gpu[];
  /** The CUDA version the driver supports ("12.4"), or "" when not known. */
  cudaDriverVersion: string;
  warnings: CaptureWarning[];
}

/**
 * NVIDIA GPUs through `nvidia-smi` on the job's PATH. No nvidia-smi: no GPUs and no warning.
 * The CUDA version comes from `nvidia-smi --version` run beside the query: on an H100 node both
 * take about 24 ms, where a plain `nvidia-smi` (whose banner also has it) takes about 100 ms.
 * Drivers whose --version does not name CUDA leave it empty.
 */
export async function queryGpus(env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 5_000): Promise<GpuQuery> {
  const smi = findOnPath("nvidia-smi", env.PATH, cwd);
  if (smi === null) return { gpus: [], cudaDriverVersion: "", warnings: [] };
  const [query, version] = await Promise.all([
    runCommand(smi, NVIDIA_SMI_QUERY_ARGS, { env, timeoutMs }),
    runCommand(smi, ["--version"], { env, timeoutMs }),
  ]);
  if (!query.ok) {
    return { gpus: [], cudaDriverVersion: "", warnings: [{ source: "host", message: `nvidia-smi failed: ${query.message}` }] };
  }
  return {
    gpus: parseNvidiaSmiCsv(query.stdout.toString("utf8")),
    cudaDriverVersion: version.ok ? parseCudaVersion(version.stdout.toString("utf8")) : "",
    warnings: [],
  };
}
