import type { JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { errorMessage } from "../../core/errors.js";
import { loadNats } from "../../core/load-nats.js";
import { DEAD_LETTER_HEADERS, NATS_DEAD_LETTER_SUBJECT_PREFIX } from "../../core/nats-names.js";
import type { CollectorOptions } from "../collector-options.js";

export interface DeadLetterLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

type Options = Pick<CollectorOptions, "natsStream" | "natsConsumer" | "natsNakDelayMs">;

/** What a dead-letter message keeps of the original when the original plus headers is over the server's limit. */
const TRUNCATED_BYTES = 64 * 1024;
const MAX_REASON_CHARS = 1000;

/**
 * Moves messages that can never be stored to `snaptrail.deadletter.events.<orchestrator>` (the
 * dead-letter stream), the original bytes as the body and the reason, original subject,
 * sequence and delivery count in headers; then terminates the original so it is not delivered
 * again. Nats-Msg-Id `deadletter:<stream>:<seq>` keeps a retried move from landing twice.
 */
export class NatsDeadLetters {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: Options,
    private readonly log: DeadLetterLogger,
  ) {}

  /** Dead-letters `m` and terms it; if the dead-letter stream cannot take it, naks it instead (tried again later). */
  async send(m: JsMsg, reason: string): Promise<void> {
    const moved = await this.publish(m.subject, m.data, m.seq, m.info.deliveryCount, reason);
    if (moved) m.term();
    else m.nak(this.options.natsNakDelayMs);
  }

  /**
   * A collector that crashes on a message (or dies holding it) never gets to dead-letter it:
   * JetStream stops delivering it after max_deliver and says so in an advisory. Any collector
   * hearing it (one per advisory: a queue group) copies that message to the dead-letter stream.
   */
  watchMaxDeliveries(nc: NatsConnection): Subscription {
    const subject = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${this.options.natsStream}.${this.options.natsConsumer}`;
    return nc.subscribe(subject, {
      queue: "snaptrail-collectors",
      callback: (err, msg) => {
        if (err) return;
        void (async () => {
          const advisory = JSON.parse(new TextDecoder().decode(msg.data)) as { stream_seq?: number; deliveries?: number };
          const seq = advisory.stream_seq;
          if (!seq) return;
          const stored = await this.jsm.streams.getMessage(this.options.natsStream, { seq });
          if (!stored) return;
          await this.publish(
            stored.subject,
            stored.data,
            seq,
            advisory.deliveries ?? 0,
            `delivered ${advisory.deliveries ?? "max_deliver"} times without being stored or dead-lettered (a collector crashed or stopped while holding it)`,
          );
        })().catch((e: unknown) => this.log.error({ err: errorMessage(e) }, "dead-lettering a message past max_deliver failed"));
      },
    });
  }

  private async publish(subject: string, data: Uint8Array, seq: number, deliveries: number, reason: string): Promise<boolean> {
    const { headers } = (await loadNats()).transport;
    const token = subject.split(".").pop() ?? "other";
    const target = `${NATS_DEAD_LETTER_SUBJECT_PREFIX}.events.${token}`;
    const h = headers();
    h.set(DEAD_LETTER_HEADERS.reason, headerValue(reason));
    h.set(DEAD_LETTER_HEADERS.subject, subject);
    h.set(DEAD_LETTER_HEADERS.streamSequence, String(seq));
    h.set(DEAD_LETTER_HEADERS.deliveries, String(deliveries));
    const msgID = `deadletter:${this.options.natsStream}:${seq}`;
    try {
      try {
        await this.js.publish(target, data, { msgID, headers: h });
      } catch (err) {
        if (!/max_payload|payload.*exceed|message size exceeds/i.test(errorMessage(err))) throw err;
        h.set("Snaptrail-Truncated-From-Bytes", String(data.length));
        await this.js.publish(target, data.subarray(0, TRUNCATED_BYTES), { msgID, headers: h });
      }
      this.log.warn({ seq, subject, deliveries, reason }, "message dead-lettered");
      return true;
    } catch (err) {
      this.log.error({ seq, subject, reason, err: errorMessage(err) }, "cannot publish to the dead-letter stream; the message will be delivered again");
      return false;
    }
  }
}

/** Header values are one line of printable text. */
function headerValue(s: string): string {
  const line = s.replace(/[\r\n]+/g, " ").replace(/[^\x20-\x7e]/g, "?");
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 3)}...` : line;
}
