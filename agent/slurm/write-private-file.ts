import { renameSync, writeFileSync } from "node:fs";

/** Writes a 0600 file whole or not at all (a temp name, then rename): readers never see half of it. */
export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: "wx" });
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written is only a cache.
  }
}
