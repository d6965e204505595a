import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** How often the worker folds the WAL into the database file. */
const CHECKPOINT_EVERY_MS = 200;

// Runs in a worker thread, with its own connection. PASSIVE: copies committed WAL frames into
// the database file and fsyncs it without taking the write lock, so commits go on meanwhile.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
db.pragma("synchronous = FULL");
db.pragma("wal_autocheckpoint = 0");
let failed = false;
const tick = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (err) {
    if (!failed) parentPort.postMessage({ error: String((err && err.message) || err) });
    failed = true;
  }
};
const timer = setInterval(tick, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  tick();
  db.close();
  process.exit(0);
});
`;

export interface Checkpointer {
  /** A last checkpoint, then the worker ends. */
  close(): Promise<void>;
}

/**
 * Takes WAL checkpoints off the ingest thread. better-sqlite3 is synchronous: with SQLite's
 * automatic checkpoint, the commit that crosses the threshold copies megabytes into the database
 * file and fsyncs it while gRPC waits, every few thousand events. Commits stay exactly as
 * durable (each one still fsyncs the WAL). When the worker cannot start or fails, `fallback`
 * turns the automatic checkpoint back on, so the WAL never grows without bound.
 */
export function startCheckpointer(path: string, busyTimeoutMs: number, fallback: (why: string) => void): Checkpointer | undefined {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: createRequire(import.meta.url).resolve("better-sqlite3"), path, busyTimeoutMs, everyMs: CHECKPOINT_EVERY_MS },
    });
  } catch (err) {
    fallback(String(err));
    return undefined;
  }
  let closing = false;
  worker.on("message", (m: { error?: string }) => {
    if (m.error) fallback(m.error);
  });
  worker.on("error", (err) => fallback(err.message));
  worker.on("exit", (code) => {
    if (!closing) fallback(`checkpoint worker exited with code ${code}`);
  });
  // The collector's shutdown must not wait on it, nor must it keep the process alive.
  worker.unref();
  return {
    close() {
      if (closing) return Promise.resolve();
      closing = true;
      return new Promise<void>((resolve) => {
        worker.once("exit", () => resolve());
        worker.ref(); // the caller awaits its last checkpoint
        worker.postMessage("close");
      });
    },
  };
}
