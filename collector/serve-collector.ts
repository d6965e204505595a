// The collector as a long-running process: start, announce, drain on SIGTERM/SIGINT.
import { errorMessage } from "../core/errors.js";
import { startCollector, type CollectorDeps } from "./collector.js";
import type { CollectorOptions } from "./collector-options.js";

/**
 * Starts the collector and keeps it up until a signal. Once both listeners are up it prints one
 * JSON line {"grpc": "...", "http": "..."} on stdout (scripts and tests wait for it); logs go
 * to stderr. A second signal exits at once: everything acked is already durable.
 */
export async function serveCollector(options: CollectorOptions, deps: CollectorDeps = {}): Promise<void> {
  const running = await startCollector(options, deps);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`snaptrail collector: ${signal} again, exiting without draining\n`);
      process.exit(1);
    }
    stopping = true;
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`snaptrail collector: close failed after ${signal}: ${errorMessage(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdout.write(`${JSON.stringify({ grpc: running.grpcAddress, http: running.httpUrl })}\n`);
}
