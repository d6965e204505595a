import { constants } from "node:os";

/** SLURM_JOB_EXIT_CODE is the batch script's raw wait status: exit 2 is 512, death by SIGKILL is 9. */
export function exitFromWaitStatus(raw: string | undefined): { exitCode: number; signal: string } {
  const text = raw?.trim() ?? "";
  const status = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(status)) return { exitCode: -1, signal: "" };
  const sig = status & 0x7f;
  if (sig !== 0) {
    const name = Object.entries(constants.signals).find(([, n]) => n === sig)?.[0] ?? `SIG${sig}`;
    return { exitCode: -1, signal: name };
  }
  return { exitCode: (status >> 8) & 0xff, signal: "" };
}
