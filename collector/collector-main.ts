#!/usr/bin/env node
// The collector as a process (tests, containers): flags > env vars > defaults, one JSON line
// {"grpc": "...", "http": "..."} on stdout once both listeners are up, clean close on SIGTERM/SIGINT.
import { parseArgs } from "node:util";
import { ConfigError, errorMessage } from "../core/errors.js";
import { startCollector } from "./collector.js";
import { resolveCollectorOptions } from "./collector-options.js";

const USAGE = `usage: node dist/collector/collector-main.js [--db PATH] [--blob-dir DIR] [--listen HOST:PORT]
       [--http HOST:PORT] [--max-message-bytes N] [--max-archive-bytes N] [--log-level LEVEL]`;

async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        db: { type: "string" },
        "blob-dir": { type: "string" },
        listen: { type: "string" },
        http: { type: "string" },
        "max-message-bytes": { type: "string" },
        "max-archive-bytes": { type: "string" },
        "log-level": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${errorMessage(err)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const str = (v: string | boolean | undefined): string | undefined => (typeof v === "string" ? v : undefined);
  let collector;
  try {
    const options = resolveCollectorOptions({
      flags: {
        dbPath: str(values.db),
        blobDir: str(values["blob-dir"]),
        listen: str(values.listen),
        http: str(values.http),
        maxMessageBytes: str(values["max-message-bytes"]),
        maxArchiveBytes: str(values["max-archive-bytes"]),
        logLevel: str(values["log-level"]),
      },
      env: process.env,
    });
    collector = await startCollector(options);
  } catch (err) {
    process.stderr.write(`snaptrail collector: ${errorMessage(err)}\n`);
    return err instanceof ConfigError ? 2 : 1;
  }
  const running = collector;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal: stop waiting. Everything acked is already durable.
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
  return -1; // keep running until a signal
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`snaptrail collector: ${errorMessage(err)}\n`);
    process.exitCode = 1;
  },
);
