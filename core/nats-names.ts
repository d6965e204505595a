// The names the agent and the collector must agree on when events travel over NATS JetStream.
// The stream, consumer and limits are collector options; these subjects are the wire contract.

/** Events go to `snaptrail.events.<orchestrator>`: airflow, slurm, kfp, local or other. */
export const NATS_EVENT_SUBJECT_PREFIX = "snaptrail.events";

/** Messages that can never be stored land here (`snaptrail.deadletter.events.<orchestrator>`), reason in a header. */
export const NATS_DEAD_LETTER_SUBJECT_PREFIX = "snaptrail.deadletter";

/** Request/reply: HasDigestsRequest in, HasDigestsResponse out, answered by any collector (queue group). */
export const NATS_HAS_DIGESTS_SUBJECT = "snaptrail.rpc.has-digests";

/** JetStream Object Store bucket holding blobs (code archives, cached outputs), one object per digest. */
export const NATS_BLOB_BUCKET = "snaptrail-blobs";

/** Header names on dead-lettered messages. */
export const DEAD_LETTER_HEADERS = {
  reason: "Snaptrail-Dead-Reason",
  subject: "Snaptrail-Original-Subject",
  streamSequence: "Snaptrail-Original-Sequence",
  deliveries: "Snaptrail-Deliveries",
} as const;

const RUN_ID_PREFIXES: ReadonlySet<string> = new Set(["airflow", "slurm", "kfp", "local"]);

/** The subject token for a run id's orchestrator (`airflow:...` -> `airflow`); unknown prefixes -> `other`. */
export function orchestratorToken(runId: string): string {
  const colon = runId.indexOf(":");
  const prefix = colon > 0 ? runId.slice(0, colon) : "";
  return RUN_ID_PREFIXES.has(prefix) ? prefix : "other";
}

export function eventSubject(runId: string): string {
  return `${NATS_EVENT_SUBJECT_PREFIX}.${orchestratorToken(runId)}`;
}
