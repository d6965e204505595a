import os from "node:os";
import type { CaptureWarning, HostSnapshot } from "../../core/model.js";
import { queryGpus } from "./query-gpus.js";

/** CPU, memory, kernel and GPUs of this machine. */
export async function captureHost(env: NodeJS.ProcessEnv, cwd: string): Promise<{ host: HostSnapshot; warnings: CaptureWarning[] }> {
  const gpuQuery = queryGpus(env, cwd);
  const cpus = os.cpus();
  const gpus = await gpuQuery;
  return {
    host: {
      hostname: os.hostname(),
      arch: os.arch(),
      kernel: os.release(),
      cpuModel: cpus[0]?.model.trim() ?? "",
      cpuCount: cpus.length > 0 ? cpus.length : os.availableParallelism(),
      memoryBytes: os.totalmem(),
      gpus: gpus.gpus,
      cudaDriverVersion: gpus.cudaDriverVersion,
    },
    warnings: gpus.warnings,
  };
}
