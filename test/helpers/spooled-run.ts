// INTERIM, until the Slurm hooks of deploy/slurm record a job's batch script themselves: a job's
// first run is recorded by `snaptrail wrap` inside the job, spooled (its collector is a dead
// address), and this adds what only the hooks can know (the script as submitted, sbatch options
// that leave no trace in the job's environment) to that run's started event before the spool is
// flushed for real. Everything else in the run (environment, code, host, GPUs) is what wrap
// recorded inside the job.
import { readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeSpoolEvent, encodeSpoolEvent } from "../../agent/spool/spool-event-codec.js";
import { spoolFileName } from "../../agent/spool/spool-file-name.js";
import { decodeRecords, encodeRecords } from "../../agent/spool/spool-record.js";
import type { RunConfig, SnapshotEvent } from "../../core/model.js";

/** Patches the started event's config of every spooled run that `pick` accepts; returns their ids. */
export async function patchSpooledRunConfig(spoolDir: string, pick: (runId: string) => boolean, patch: (config: RunConfig) => void): Promise<string[]> {
  const eventsDir = join(spoolDir, "events");
  const patched: string[] = [];
  for (const name of (await readdir(eventsDir)).filter((n) => n.endsWith(".spool")).sort()) {
    const file = join(eventsDir, name);
    const { payloads } = decodeRecords(await readFile(file));
    const events: SnapshotEvent[] = payloads.map((p) => decodeSpoolEvent(p));
    let changed = false;
    for (const e of events) {
      const started = e.runStarted;
      if (!started || !pick(e.runId)) continue;
      const config = started.config ?? { argv: [], cwd: "", parameters: {}, script: "" };
      patch(config);
      started.config = config;
      patched.push(e.runId);
      changed = true;
    }
    if (!changed) continue;
    const data = encodeRecords(events.map((e) => encodeSpoolEvent(e)));
    const next = join(eventsDir, spoolFileName(Date.now(), events.length, data.length));
    await writeFile(`${next}.tmp`, data);
    await rename(`${next}.tmp`, next);
    await unlink(file);
  }
  return patched;
}
