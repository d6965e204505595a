import { randomBytes } from "node:crypto";
import { appendFile, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";

export type JournalEntry =
  | { kind: "dropped"; file: string; events: number; bytes: number }
  | { kind: "corrupt"; file: string; records: number }
  | { kind: "corrupt-blob"; file: string }
  | { kind: "rejected"; events: number; reason: string };

/** What `spool status` reports from the journal, over the spool's life. */
export interface JournalTotals {
  droppedEvents: number;
  droppedFiles: number;
  corruptRecords: number;
  corruptBlobs: number;
  rejectedEvents: number;
}

type TotalsLine = { kind: "totals" } & JournalTotals;

/** Past this size the journal is folded into one totals line plus its latest entries. */
export const MAX_JOURNAL_BYTES = 256 * 1024;
/** Entries kept verbatim after a fold (at most a quarter of the bound), for a person reading the file. */
const KEEP_LINES = 100;
const FOLDING_SUFFIX = ".folding";
/** A fold takes milliseconds; a .folding file this old was left by a killed agent. */
const STALE_FOLD_MS = 60_000;

const zero = (): JournalTotals => ({ droppedEvents: 0, droppedFiles: 0, corruptRecords: 0, corruptBlobs: 0, rejectedEvents: 0 });

/**
 * spool.log: one JSON line per drop, damaged record and rejection, appended by every agent that
 * shares the spool. Bounded: an append that takes it past maxBytes folds it. The fold renames the
 * file away first (atomic: later appends start a new spool.log), then appends the totals of what
 * it folded and the latest lines to the new one. Counts survive; old detail lines do not.
 */
export class SpoolJournal {
  readonly file: string;

  constructor(
    dir: string,
    private readonly maxBytes = MAX_JOURNAL_BYTES,
  ) {
    this.file = path.join(dir, "spool.log");
  }

  /** Never fails: the journal only feeds counts, and must not fail a write or a replay. */
  async append(entry: JournalEntry): Promise<void> {
    try {
      await appendFile(this.file, `${JSON.stringify({ t: Date.now(), ...entry })}\n`, { mode: 0o600 });
      const st = await stat(this.file);
      if (st.size > this.maxBytes) await this.fold();
    } catch {
      /* see above */
    }
  }

  async totals(): Promise<JournalTotals> {
    return addLines(zero(), await readFile(this.file, "utf8").catch(() => ""));
  }

  /** Counts what a fold killed midway left behind, then deletes it. */
  async sweep(): Promise<void> {
    const dir = path.dirname(this.file);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names) {
      if (!n.startsWith(`${path.basename(this.file)}.`) || !n.endsWith(FOLDING_SUFFIX)) continue;
      const p = path.join(dir, n);
      try {
        if (Date.now() - (await stat(p)).mtimeMs < STALE_FOLD_MS) continue;
        const totals: TotalsLine = { kind: "totals", ...addLines(zero(), await readFile(p, "utf8")) };
        await appendFile(this.file, `${JSON.stringify({ t: Date.now(), ...totals })}\n`, { mode: 0o600 });
        await unlink(p);
      } catch {
        /* another agent swept it */
      }
    }
  }

  private async fold(): Promise<void> {
    const folding = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}${FOLDING_SUFFIX}`;
    try {
      await rename(this.file, folding);
    } catch {
      return; // another agent folded it first
    }
    const text = await readFile(folding, "utf8");
    const lines = text.split("\n").filter((l) => l !== "");
    const kept: string[] = [];
    // The latest lines, in at most a quarter of the bound: a fold must leave room to grow.
    for (let i = lines.length - 1, bytes = 0; i >= 0 && kept.length < KEEP_LINES; i--) {
      bytes += lines[i]!.length + 1;
      if (bytes > this.maxBytes / 4) break;
      kept.unshift(lines[i]!);
    }
    const totals: TotalsLine = { kind: "totals", ...addLines(zero(), lines.slice(0, lines.length - kept.length).join("\n")) };
    await appendFile(this.file, `${[JSON.stringify({ t: Date.now(), ...totals }), ...kept].join("\n")}\n`, { mode: 0o600 });
    await unlink(folding);
  }
}

function addLines(into: JournalTotals, text: string): JournalTotals {
  for (const line of text.split("\n")) {
    let entry: JournalEntry | TotalsLine;
    try {
      entry = JSON.parse(line) as JournalEntry | TotalsLine;
    } catch {
      continue; // a line torn by a crash, or not ours
    }
    if (entry === null || typeof entry !== "object") continue;
    if (entry.kind === "totals") {
      for (const k of Object.keys(into) as (keyof JournalTotals)[]) into[k] += Number.isFinite(entry[k]) ? entry[k] : 0;
    } else if (entry.kind === "dropped") {
      into.droppedEvents += entry.events;
      into.droppedFiles++;
    } else if (entry.kind === "corrupt") into.corruptRecords += entry.records;
    else if (entry.kind === "corrupt-blob") into.corruptBlobs++;
    else if (entry.kind === "rejected") into.rejectedEvents += entry.events;
  }
  return into;
}
