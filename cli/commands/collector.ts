import type { Command } from "commander";

interface CollectorFlags {
  db?: string;
  store?: string;
  blobDir?: string;
  blobStore?: string;
  natsBlobBucket?: string;
  auth?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
  insecure?: boolean;
  natsBlobMaxBytes?: string;
  readyTimeoutMs?: string;
  listen?: string;
  http?: string;
  maxMessageBytes?: string;
  maxArchiveBytes?: string;
  logLevel?: string;
  nats?: string;
  natsStream?: string;
  natsUser?: string;
  natsPasswordFile?: string;
  natsConsumer?: string;
  natsReplicas?: string;
  natsRetention?: string;
  maxPackages?: string;
  grpcMaxStreamsPerConnection?: string;
  grpcMaxOpenStreams?: string;
  grpcStreamIdleTimeoutMs?: string;
  grpcMaxConnectionIdleMs?: string;
  linkAirflow?: string;
  linkKfp?: string;
  resubmitSlurmVia?: string;
  resubmitSlurmLocal?: boolean;
  resubmitSshIdentity?: string;
  resubmitSshKnownHosts?: string;
  resubmitRemoteSnaptrail?: string;
  resubmitClusterCollectorHttp?: string;
  resubmitRestoreDir?: string;
  resubmitAuditLog?: string;
  resubmitAirflow?: string;
  resubmitAirflowUser?: string;
  resubmitAirflowPasswordFile?: string;
  resubmitKfp?: string;
  resubmitKfpTokenFile?: string;
}

interface DeadLetterFlags {
  nats?: string;
  stream?: string;
  reason?: string;
  limit?: string;
  replay?: boolean;
  json?: boolean;
}

export function registerCollectorCommand(program: Command): void {
  const collector = program
    .command("collector")
    .description("run the collector: gRPC ingest, the store (SQLite or ClickHouse), blob store and the HTTP query API")
    .option("--db <path>", "SQLite database file or sqlite:PATH (env SNAPTRAIL_DB; default ./snaptrail.db)")
    .option(
      "--store <url>",
      "sqlite:PATH or clickhouse://USER@HOST:PORT/DB (HTTP port; password from env SNAPTRAIL_CLICKHOUSE_PASSWORD or the file in SNAPTRAIL_CLICKHOUSE_PASSWORD_FILE; env SNAPTRAIL_STORE)",
    )
    .option("--blob-dir <dir>", "where code archives go (env SNAPTRAIL_BLOB_DIR; default <db>.blobs); with --blob-store nats, where uploads wait while they are hashed")
    .option("--blob-store <kind>", "fs (--blob-dir, default) or nats (the JetStream object store of --nats: replicas need no shared folder) (env SNAPTRAIL_BLOB_STORE)")
    .option("--nats-blob-bucket <name>", "object store bucket of --blob-store nats (default snaptrail-collector-blobs)")
    .option("--auth <mode>", "none (default: anyone who reaches the ports may publish and read) or tokens (every route and method needs an API token: snaptrail token create) (env SNAPTRAIL_AUTH)")
    .option("--tls-cert <file>", "PEM certificate (chain) for TLS on gRPC and HTTP, with --tls-key (env SNAPTRAIL_COLLECTOR_TLS_CERT); agents then use grpcs:// and https://")
    .option("--tls-key <file>", "its PEM private key (env SNAPTRAIL_COLLECTOR_TLS_KEY)")
    .option("--tls-client-ca <file>", "PEM CA: gRPC ingest asks every agent for a client certificate it signed (mutual TLS) (env SNAPTRAIL_COLLECTOR_TLS_CLIENT_CA)")
    .option("--insecure", "listen beyond loopback without TLS and --auth tokens anyway (warned at every start) (env SNAPTRAIL_COLLECTOR_INSECURE=1)")
    .option("--nats-blob-max-bytes <n>", "size limit of that bucket, -1 for none; a blob that does not fit is refused (env SNAPTRAIL_COLLECTOR_NATS_BLOB_MAX_BYTES; default 8 GiB)")
    .option("--ready-timeout-ms <ms>", "how long GET /readyz waits for each check before answering 503 (env SNAPTRAIL_COLLECTOR_READY_TIMEOUT_MS; default 2000)")
    .option("--listen <host:port>", "gRPC ingest address (env SNAPTRAIL_LISTEN; default 127.0.0.1:50051)")
    .option("--http <host:port>", "HTTP query API address (env SNAPTRAIL_HTTP; default 127.0.0.1:8077)")
    .option("--max-message-bytes <n>", "largest gRPC message accepted (default 16 MiB)")
    .option("--max-archive-bytes <n>", "largest code archive accepted (default 512 MiB)")
    .option("--nats <url>", "also consume events from NATS JetStream at nats://HOST:PORT (env SNAPTRAIL_COLLECTOR_NATS_URL)")
    .option("--nats-user <name>", "NATS user of the collector (env SNAPTRAIL_COLLECTOR_NATS_USER); deploy/nats/nats-server.conf has the permissions")
    .option("--nats-password-file <file>", "file holding that user's password (env SNAPTRAIL_COLLECTOR_NATS_PASSWORD_FILE)")
    .option("--nats-stream <name>", "JetStream stream, created or checked at start (default SNAPTRAIL_EVENTS)")
    .option("--nats-consumer <name>", "durable pull consumer shared by every collector (default snaptrail-collector)")
    .option("--nats-replicas <n>", "stream replicas in a NATS cluster (default 1)")
    .option("--nats-retention <policy>", "limits (keep for max age, default) or workqueue (drop once acked)")
    .option("--max-packages <n>", "reject environment snapshots listing more packages (default 20000)")
    .option("--grpc-max-streams-per-connection <n>", "gRPC calls one connection may have open at once (env SNAPTRAIL_COLLECTOR_GRPC_MAX_STREAMS_PER_CONNECTION; default 100)")
    .option("--grpc-max-open-streams <n>", "gRPC calls open at once in total; more get RESOURCE_EXHAUSTED (env SNAPTRAIL_COLLECTOR_GRPC_MAX_OPEN_STREAMS; default 4096)")
    .option(
      "--grpc-stream-idle-timeout-ms <ms>",
      "end a gRPC call that waits on its client with no complete message this long, DEADLINE_EXCEEDED (env SNAPTRAIL_COLLECTOR_GRPC_STREAM_IDLE_TIMEOUT_MS; default 60000)",
    )
    .option("--grpc-max-connection-idle-ms <ms>", "close a gRPC connection with no call open this long (env SNAPTRAIL_COLLECTOR_GRPC_MAX_CONNECTION_IDLE_MS; default 300000)")
    .option("--link-airflow <url>", "Airflow's web UI, http(s)://HOST:PORT: run pages link to their task instance there (env SNAPTRAIL_COLLECTOR_LINK_AIRFLOW)")
    .option("--link-kfp <url>", "Kubeflow Pipelines' web UI: run pages link to their KFP run there (env SNAPTRAIL_COLLECTOR_LINK_KFP)")
    .option("--resubmit-slurm-via <ssh-url>", "let operators resubmit Slurm runs through the collector: sbatch on a login node, ssh://USER@HOST[:PORT] (env SNAPTRAIL_COLLECTOR_RESUBMIT_SLURM_VIA)")
    .option("--resubmit-slurm-local", "let operators resubmit Slurm runs through the collector: sbatch on the collector's host (env SNAPTRAIL_COLLECTOR_RESUBMIT_SLURM_LOCAL=true)")
    .option("--resubmit-ssh-identity <file>", "SSH private key for --resubmit-slurm-via (env SNAPTRAIL_COLLECTOR_RESUBMIT_SSH_IDENTITY)")
    .option("--resubmit-ssh-known-hosts <file>", "known_hosts holding the login node's key (env SNAPTRAIL_COLLECTOR_RESUBMIT_SSH_KNOWN_HOSTS; default ~/.ssh/known_hosts)")
    .option("--resubmit-remote-snaptrail <path>", "snaptrail on the cluster, for the restore before the job runs (env SNAPTRAIL_COLLECTOR_RESUBMIT_REMOTE_SNAPTRAIL)")
    .option("--resubmit-cluster-collector-http <url>", "this collector's HTTP address as the cluster reaches it (env SNAPTRAIL_COLLECTOR_RESUBMIT_CLUSTER_COLLECTOR_HTTP)")
    .option("--resubmit-restore-dir <dir>", "absolute folder on the cluster for the restored code and venvs (env SNAPTRAIL_COLLECTOR_RESUBMIT_RESTORE_DIR; default ~/.cache/snaptrail/resubmits)")
    .option("--resubmit-airflow <url>", "let operators resubmit Airflow runs through the collector: Airflow 3's API server (env SNAPTRAIL_COLLECTOR_RESUBMIT_AIRFLOW)")
    .option("--resubmit-airflow-user <name>", "the Airflow user to trigger DAG runs as (env SNAPTRAIL_COLLECTOR_RESUBMIT_AIRFLOW_USER; default admin)")
    .option("--resubmit-airflow-password-file <file>", "that user's password, first line (env SNAPTRAIL_COLLECTOR_RESUBMIT_AIRFLOW_PASSWORD_FILE)")
    .option("--resubmit-kfp <url>", "let operators resubmit Kubeflow runs through the collector: the KFP API (env SNAPTRAIL_COLLECTOR_RESUBMIT_KFP)")
    .option("--resubmit-kfp-token-file <file>", "the KFP bearer token (env SNAPTRAIL_COLLECTOR_RESUBMIT_KFP_TOKEN_FILE)")
    .option("--resubmit-audit-log <file>", "JSON lines recording every resubmission and who asked (env SNAPTRAIL_COLLECTOR_RESUBMIT_AUDIT_LOG; default snaptrail-resubmits.jsonl beside the blob folder)")
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
          blobStore: flags.blobStore,
          natsBlobBucket: flags.natsBlobBucket,
          auth: flags.auth,
          tlsCert: flags.tlsCert,
          tlsKey: flags.tlsKey,
          tlsClientCa: flags.tlsClientCa,
          insecure: flags.insecure,
          natsBlobMaxBytes: flags.natsBlobMaxBytes,
          readyTimeoutMs: flags.readyTimeoutMs,
          listen: flags.listen,
          http: flags.http,
          maxMessageBytes: flags.maxMessageBytes,
          maxArchiveBytes: flags.maxArchiveBytes,
          logLevel: flags.logLevel,
          nats: flags.nats,
          natsStream: flags.natsStream,
          natsUser: flags.natsUser,
          natsPasswordFile: flags.natsPasswordFile,
          natsConsumer: flags.natsConsumer,
          natsReplicas: flags.natsReplicas,
          natsRetention: flags.natsRetention,
          maxPackagesPerSnapshot: flags.maxPackages,
          grpcMaxStreamsPerConnection: flags.grpcMaxStreamsPerConnection,
          grpcMaxOpenStreams: flags.grpcMaxOpenStreams,
          grpcStreamIdleTimeoutMs: flags.grpcStreamIdleTimeoutMs,
          grpcMaxConnectionIdleMs: flags.grpcMaxConnectionIdleMs,
          linkAirflow: flags.linkAirflow,
          linkKfp: flags.linkKfp,
          resubmitSlurmVia: flags.resubmitSlurmVia,
          resubmitSlurmLocal: flags.resubmitSlurmLocal,
          resubmitSshIdentity: flags.resubmitSshIdentity,
          resubmitSshKnownHosts: flags.resubmitSshKnownHosts,
          resubmitRemoteSnaptrail: flags.resubmitRemoteSnaptrail,
          resubmitClusterCollectorHttp: flags.resubmitClusterCollectorHttp,
          resubmitRestoreDir: flags.resubmitRestoreDir,
          resubmitAuditLog: flags.resubmitAuditLog,
          resubmitAirflow: flags.resubmitAirflow,
          resubmitAirflowUser: flags.resubmitAirflowUser,
          resubmitAirflowPasswordFile: flags.resubmitAirflowPasswordFile,
          resubmitKfp: flags.resubmitKfp,
          resubmitKfpTokenFile: flags.resubmitKfpTokenFile,
        },
        env: process.env,
      });
      // The adapters load only when a resubmission asks for them (ssh2 for --resubmit-slurm-via).
      const { collectorResubmitter } = await import("../collector-resubmitter.js");
      await serveCollector(options, { resubmitter: collectorResubmitter(options) });
    });
  collector
    .command("redaction-salt")
    .description("print the installation's redaction salt (made on first use, mode 0600 beside the store), for agents' SNAPTRAIL_REDACTION_SALT_FILE")
    .option("--db <path>", "SQLite database file (env SNAPTRAIL_DB; default ./snaptrail.db)")
    .option("--store <url>", "sqlite:PATH or clickhouse://... (env SNAPTRAIL_STORE)")
    .option("--blob-dir <dir>", "the blob folder (env SNAPTRAIL_BLOB_DIR): the salt of a ClickHouse store is beside it")
    .action(async (flags: Pick<CollectorFlags, "db" | "store" | "blobDir">) => {
      const [{ resolveCollectorOptions }, { ensureRedactionSalt, redactionSaltPath }] = await Promise.all([
        import("../../collector/collector-options.js"),
        import("../../collector/redaction-salt-file.js"),
      ]);
      const options = resolveCollectorOptions({ flags: { dbPath: flags.db, store: flags.store, blobDir: flags.blobDir }, env: process.env });
      process.stdout.write(`${ensureRedactionSalt(redactionSaltPath(options)).salt}\n`);
    });
  collector
    .command("dead-letters")
    .description("list the NATS dead-letter stream grouped by reason; --replay sends them back to the events stream")
    .option("--nats <url>", "NATS server, nats://HOST:PORT (env SNAPTRAIL_COLLECTOR_NATS_URL)")
    .option("--stream <name>", "dead-letter stream (env SNAPTRAIL_COLLECTOR_NATS_DEAD_LETTER_STREAM; default SNAPTRAIL_DEADLETTER)")
    .option("--reason <regex>", "only messages whose reason matches")
    .option("--limit <n>", "read at most this many, oldest first (default 10000)")
    .option("--replay", "publish each original again to its events subject and remove it from the dead-letter stream (after the cause is fixed)")
    .option("--json", "print JSON")
    .action(async (flags: DeadLetterFlags) => {
      const [{ ConfigError }, { withDeadLetters }] = await Promise.all([import("../../core/errors.js"), import("../../collector/ingest/nats-dead-letter-admin.js")]);
      const nats = flags.nats ?? process.env.SNAPTRAIL_COLLECTOR_NATS_URL;
      if (!nats) throw new ConfigError("dead-letters needs --nats URL (or SNAPTRAIL_COLLECTOR_NATS_URL)");
      const limit = Number(flags.limit ?? 10_000);
      if (!Number.isInteger(limit) || limit <= 0) throw new ConfigError(`--limit must be a positive whole number, got ${flags.limit}`);
      let reason: RegExp | undefined;
      try {
        reason = flags.reason === undefined ? undefined : new RegExp(flags.reason, "i");
      } catch (err) {
        throw new ConfigError(`--reason is not a valid regular expression: ${(err as Error).message}`);
      }
      const stream = flags.stream ?? process.env.SNAPTRAIL_COLLECTOR_NATS_DEAD_LETTER_STREAM ?? "SNAPTRAIL_DEADLETTER";
      const credentials = { natsUser: process.env.SNAPTRAIL_COLLECTOR_NATS_USER, natsPasswordFile: process.env.SNAPTRAIL_COLLECTOR_NATS_PASSWORD_FILE };
      await withDeadLetters({ nats, stream, limit, reason, ...credentials }, async (admin) => {
        if (flags.replay) {
          const r = await admin.replay();
          process.stdout.write(flags.json ? `${JSON.stringify(r)}\n` : `replayed ${r.replayed} dead letters to the events stream${r.skipped > 0 ? `; skipped ${r.skipped} kept only in part (truncated)` : ""}\n`);
          return;
        }
        const listing = await admin.list();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
          return;
        }
        const lines = [`${listing.entries.length} dead letters in ${listing.stream}${listing.total > listing.entries.length ? ` (${listing.total} in the stream; read ${listing.entries.length})` : ""}`];
        for (const g of listing.groups) {
          lines.push(`${String(g.count).padStart(7)}  ${g.kind}  (${new Date(g.firstMs).toISOString()} .. ${new Date(g.lastMs).toISOString()})`, `         e.g. ${g.example}`);
        }
        process.stdout.write(`${lines.join("\n")}\n`);
      });
    });
}
