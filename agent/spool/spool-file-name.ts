import { randomBytes } from "node:crypto";

// An events file's name carries what `spool status` and the size bound need, so both work from
// one readdir: <unix ms, 13 digits>-<pid>-<random>-<N>e-<BYTES>b.spool. The time comes first so
// names sort oldest first; pid and random keep names from many agents on one host (or one shared
// home folder across hosts) apart.
const PATTERN = /^(\d{13})-(\d+)-([0-9a-f]+)-(\d+)e-(\d+)b\.spool$/;

export interface SpoolFileName {
  name: string;
  timeMs: number;
  events: number;
  bytes: number;
}

export function spoolFileName(timeMs: number, events: number, bytes: number): string {
  return `${String(timeMs).padStart(13, "0")}-${process.pid}-${randomBytes(4).toString("hex")}-${events}e-${bytes}b.spool`;
}

export function parseSpoolFileName(name: string): SpoolFileName | undefined {
  const m = PATTERN.exec(name);
  if (!m) return undefined;
  return { name, timeMs: Number(m[1]), events: Number(m[4]), bytes: Number(m[5]) };
}

/** Content-addressed blob file name: "sha256:<hex>" -> "sha256-<hex>" (no colon in file names). */
export function blobFileName(digest: string): string | undefined {
  return /^sha256:[0-9a-f]{64}$/.test(digest) ? digest.replace(":", "-") : undefined;
}

export function blobDigestOf(name: string): string | undefined {
  return /^sha256-[0-9a-f]{64}$/.test(name) ? name.replace("-", ":") : undefined;
}
