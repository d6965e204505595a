import type Sqlite from "better-sqlite3";
import { ConfigError } from "../../core/errors.js";

// Versioned migrations, tracked in PRAGMA user_version. Each step runs in its own transaction
// and only when the file is older than it, so opening a database any number of times is safe.
// Never edit a released step: append a new one.
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: events, runs, snapshots, packages
  `
  CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('runStarted', 'snapshotCaptured', 'runFinished')),
    time_unix_ms INTEGER NOT NULL,
    received_unix_ms INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX events_by_run ON events (run_id, time_unix_ms, event_id);

  CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    orchestrator TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    pipeline_run TEXT NOT NULL,
    step TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_unix_ms INTEGER,
    finished_unix_ms INTEGER,
    exit_code INTEGER,
    signal TEXT,
    error TEXT,
    duration_ms INTEGER,
    hostname TEXT NOT NULL,
    environment_digest TEXT,
    host_digest TEXT,
    code_digest TEXT,
    git_commit TEXT,
    rollback_of TEXT,
    config TEXT,
    orchestrator_context TEXT,
    agent_version TEXT NOT NULL,
    warnings TEXT NOT NULL,
    sort_unix_ms INTEGER NOT NULL,
    updated_unix_ms INTEGER NOT NULL
  );
  CREATE INDEX runs_newest ON runs (sort_unix_ms DESC, run_id DESC);
  CREATE INDEX runs_by_pipeline ON runs (pipeline, step, sort_unix_ms DESC);
  CREATE INDEX runs_by_environment ON runs (environment_digest);

  CREATE TABLE snapshots (
    digest TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('environment', 'host', 'code')),
    body TEXT NOT NULL,
    stored_unix_ms INTEGER NOT NULL
  );

  CREATE TABLE packages (
    env_digest TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    PRIMARY KEY (env_digest, name, version)
  ) WITHOUT ROWID;
  CREATE INDEX packages_by_name_version ON packages (name, version);
  `,
  // 2: outputs and the cache. A run's outputs live as JSON on its row (what `show` prints) and
  // exploded in `outputs` by content digest (what `which` asks); cache lookups read one range of
  // runs_by_cache_key. outputs_stored: every declared output was found and uploaded.
  `
  ALTER TABLE runs ADD COLUMN cache_key TEXT;
  ALTER TABLE runs ADD COLUMN cached_from TEXT;
  ALTER TABLE runs ADD COLUMN outputs TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE runs ADD COLUMN outputs_stored INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX runs_by_cache_key ON runs (cache_key, sort_unix_ms DESC, run_id DESC) WHERE cache_key IS NOT NULL;

  CREATE TABLE outputs (
    digest TEXT NOT NULL,
    run_id TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (digest, run_id, path)
  ) WITHOUT ROWID;
  CREATE INDEX outputs_by_run ON outputs (run_id);
  `,
  // 3: job and step runs. parent_run_id is part of a run's start, written once; the index serves
  // a run's children (newest first) and `runs?parent=`.
  `
  ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
  CREATE INDEX runs_by_parent ON runs (parent_run_id, sort_unix_ms DESC, run_id DESC) WHERE parent_run_id IS NOT NULL;
  `,
  // 4: API tokens, hashed; revoked ones stay on record.
  `
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    created_unix_ms INTEGER NOT NULL,
    expires_unix_ms INTEGER,
    revoked_unix_ms INTEGER
  );
  `,
  // 5: a step's runs in list order. runs_by_pipeline stopped at sort_unix_ms, so a step's list
  // (ORDER BY sort_unix_ms DESC, run_id DESC) read every run of the step and sorted them in a
  // temp B-tree before the LIMIT; a timeline of 1000 runs paid that on each request. This index
  // has the whole order, so SQLite reads the step's newest rows and stops; it serves a
  // pipeline-only filter as the old one did, which it replaces.
  `
  CREATE INDEX runs_by_step ON runs (pipeline, step, sort_unix_ms DESC, run_id DESC);
  DROP INDEX runs_by_pipeline;
  `,
];

export const SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION; refuses a file written by a newer snaptrail. */
export function migrate(db: Sqlite.Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new ConfigError(`database schema version ${current} is newer than this collector understands (${SCHEMA_VERSION}); upgrade snaptrail`,
    );
  }
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    const sql = SQLITE_MIGRATIONS[version - 1]!;
    db.transaction(() => {
      // Re-read inside the write transaction: another process may have migrated meanwhile.
      const now = db.pragma("user_version", { simple: true }) as number;
      if (now >= version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}
