import { appendFileSync } from "node:fs";
import path from "node:path";

/**
 * Where a hook writes what went wrong: one line per problem, appended to `<dir>/hooks.log`
 * (root's folder for the prolog and epilog, the user's for the task prolog), and to stderr,
 * which slurmd keeps in its own log for the prolog and epilog. A log that cannot be written
 * costs nothing: a hook never fails over its log.
 */
export class HookLog {
  constructor(
    private readonly hook: string,
    private dir: string | undefined,
  ) {}

  /** Once the folder is known to be safe. */
  setDir(dir: string): void {
    this.dir = dir;
  }

  line(message: string, jobId = ""): void {
    const text = `${new Date().toISOString()} snaptrail slurm ${this.hook}${jobId ? ` job ${jobId}` : ""}: ${message.replace(/\s*\n\s*/g, " ")}\n`;
    try {
      process.stderr.write(text);
    } catch {
      // nothing to do: stderr may be closed
    }
    if (this.dir === undefined) return;
    try {
      appendFileSync(path.join(this.dir, "hooks.log"), text, { mode: 0o600 });
    } catch {
      // a full or read-only disk: the hook goes on
    }
  }
}
