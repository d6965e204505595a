import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Where slurmd keeps a running job's batch script on its batch host:
 * `<SlurmdSpoolDir>/job%05d/slurm_script` (job 2: job00002), SlurmdSpoolDir from the slurm.conf
 * SLURM_CONF names (else /etc/slurm/slurm.conf), with %n (node name) and %h (host) expanded;
 * Slurm's default is /var/spool/slurmd. Reading it costs no slurmctld call.
 */
export function batchScriptPath(env: NodeJS.ProcessEnv, jobId: string): string | undefined {
  if (!/^\d+$/.test(jobId)) return undefined;
  const conf = env.SLURM_CONF?.trim() || "/etc/slurm/slurm.conf";
  let spool = "/var/spool/slurmd";
  try {
    for (const line of readFileSync(conf, "utf8").split("\n")) {
      const m = /^\s*SlurmdSpoolDir\s*=\s*(\S+)/i.exec(line);
      if (m) spool = m[1]!;
    }
  } catch {
    // No readable slurm.conf: the default spool.
  }
  const node = env.SLURMD_NODENAME?.trim() || os.hostname().split(".")[0]!;
  spool = spool.replace(/%n/g, node).replace(/%h/g, os.hostname().split(".")[0]!);
  return path.join(spool, `job${jobId.padStart(5, "0")}`, "slurm_script");
}
