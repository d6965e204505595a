import { BadInputError } from "../../core/errors.js";

/**
 * Slurm's time limit formats ("M", "M:S", "H:M:S", "D-H", "D-H:M", "D-H:M:S") in whole minutes,
 * rounded up, as slurmrestd's `time_limit` takes them; undefined for UNLIMITED.
 */
export function slurmTimeToMinutes(value: string): number | undefined {
  const v = value.trim();
  if (/^(unlimited|infinite)$/i.test(v)) return undefined;
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(v);
  if (!m) throw new BadInputError(`time limit ${JSON.stringify(value)} is not in a Slurm format (M, M:S, H:M:S, D-H, D-H:M or D-H:M:S)`);
  const [, d, a, b, c] = m;
  const n = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
  let seconds: number;
  if (d !== undefined) seconds = n(d) * 86400 + n(a) * 3600 + n(b) * 60 + n(c);
  else if (c !== undefined) seconds = n(a) * 3600 + n(b) * 60 + n(c);
  else seconds = n(a) * 60 + n(b);
  return Math.ceil(seconds / 60);
}

/** sbatch's --mem forms ("4000", "4G", "512M") in megabytes, as slurmrestd's memory fields take them. */
export function slurmMemToMegabytes(value: string): number {
  const m = /^(\d+)([KMGT]?)B?$/i.exec(value.trim());
  if (!m) throw new BadInputError(`memory ${JSON.stringify(value)} is not in sbatch's format (a number with an optional K, M, G or T)`);
  const scale: Record<string, number> = { K: 1 / 1024, "": 1, M: 1, G: 1024, T: 1024 * 1024 };
  return Math.ceil(Number(m[1]) * (scale[(m[2] ?? "").toUpperCase()] ?? 1));
}

export function positiveInteger(name: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new BadInputError(`--${name} ${JSON.stringify(value)} is not a whole number`);
  return Number(value.trim());
}
