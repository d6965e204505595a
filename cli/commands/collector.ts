import type { Command } from "commander";

interface CollectorFlags {
  db?: string;
  store?: string;
  blobDir?: string;
  listen?: string;
  http?: string;
  maxMessageBytes?: string;
  maxArchiveBytes?: string;
  logLevel?: string;
  nats?: string;
  natsStream?: string;
  natsConsumer?: string;
  natsReplicas?: string;
  natsRetention?: string;
  maxPackages?: string;
}

export function registerCollectorCommand(program: Command): void {
  program
    .command("collector")
    .description("run the collector: gRPC ingest, the store (SQLite or ClickHouse), blob store and the HTTP query API")
    .option("--db <path>", "SQLite database file or sqlite:PATH (env SNAPTRAIL_DB; default ./snaptrail.db)")
    .option(
      "--store <url>",
      "sqlite:PATH or clickhouse://USER@HOST:PORT/DB (HTTP port; password from env SNAPTRAIL_CLICKHOUSE_PASSWORD or the file in SNAPTRAIL_CLICKHOUSE_PASSWORD_FILE; env SNAPTRAIL_STORE)",
    )
    .option("--blob-dir <dir>", "where code archives go (env SNAPTRAIL_BLOB_DIR; default <db>.blobs)")
    .option("--listen <host:port>", "gRPC ingest address (env SNAPTRAIL_LISTEN; default 127.0.0.1:50051)")
    .option("--http <host:port>", "HTTP query API address (env SNAPTRAIL_HTTP; default 127.0.0.1:8077)")
    .option("--max-message-bytes <n>", "largest gRPC message accepted (default 16 MiB)")
    .option("--max-archive-bytes <n>", "largest code archive accepted (default 512 MiB)")
    .option("--nats <url>", "also consume events from NATS JetStream at nats://HOST:PORT (env SNAPTRAIL_COLLECTOR_NATS_URL)")
    .option("--nats-stream <name>", "JetStream stream, created or checked at start (default SNAPTRAIL_EVENTS)")
    .option("--nats-consumer <name>", "durable pull consumer shared by every collector (default snaptrail-collector)")
    .option("--nats-replicas <n>", "stream replicas in a NATS cluster (default 1)")
    .option("--nats-retention <policy>", "limits (keep for max age, default) or workqueue (drop once acked)")
    .option("--max-packages <n>", "reject environment snapshots listing more packages (default 20000)")
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (env SNAPTRAIL_LOG_LEVEL)")
    .action(async (flags: CollectorFlags) => {
      const [{ resolveCollectorOptions }, { serveCollector }] = await Promise.all([
        import("../../collector/collector-options.js"),
        import("../../collector/serve-collector.js"),
      ]);
      const options = resolveCollectorOptions({
        flags: {
          dbPath: flags.db,
          store: flags.store,
          blobDir: flags.blobDir,
          listen: flags.listen,
          http: flags.http,
          maxMessageBytes: flags.maxMessageBytes,
          maxArchiveBytes: flags.maxArchiveBytes,
          logLevel: flags.logLevel,
          nats: flags.nats,
          natsStream: flags.natsStream,
          natsConsumer: flags.natsConsumer,
          natsReplicas: flags.natsReplicas,
          natsRetention: flags.natsRetention,
          maxPackagesPerSnapshot: flags.maxPackages,
        },
        env: process.env,
      });
      await serveCollector(options);
    });
}
