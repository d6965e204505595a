import { BadInputError } from "../../core/errors.js";

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90d", "12h", "30m", "45s", "2w" in milliseconds; BAD_INPUT naming the flag for anything else. */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d{1,6})\s*([smhdw])\s*$/.exec(text);
  if (!m || Number(m[1]) === 0) throw new BadInputError(`${flag} must be a positive duration like 90d, 12h, 30m or 2w, not ${JSON.stringify(text)}`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}
