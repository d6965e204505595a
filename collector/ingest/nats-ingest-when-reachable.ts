import { backoffDelay, type BackoffPolicy } from "../../core/backoff.js";
import { ConfigError, errorMessage, UnavailableError } from "../../core/errors.js";
import { startNatsIngest, type NatsIngestDeps, type NatsIngestOptions, type RunningNatsIngest } from "./nats-consumer.js";

/** Waits between tries to reach NATS: jittered, since every collector replica retries the same cluster. */
export const NATS_START_RETRY: BackoffPolicy = { initialMs: 500, maxMs: 10_000, multiplier: 2, jitter: "full" };

/**
 * Starts NATS ingest, or, when NATS cannot be reached (down, restarting, JetStream not ready),
 * returns at once and keeps trying in the background, the way the collector starts with its
 * ClickHouse down: gRPC ingest and HTTP queries serve meanwhile, and nothing is lost, since
 * events wait in JetStream (or in the agents' spools) until a consumer takes them. A stream that
 * exists with options ours cannot take (a ConfigError) refuses the start, as before; met later,
 * it is logged as an error and retried at the longest interval, for an operator to fix.
 */
export async function startNatsIngestWhenReachable(deps: NatsIngestDeps, options: NatsIngestOptions, policy: BackoffPolicy = NATS_START_RETRY): Promise<RunningNatsIngest> {
  const log = deps.logger.child({ component: "nats" });
  try {
    return await startNatsIngest(deps, options);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    log.warn({ url: options.nats, err: errorMessage(err) }, `NATS is not reachable at ${options.nats}: consuming starts once it is; retrying, HTTP queries and gRPC ingest are served meanwhile`);
  }

  let closed = false;
  let running: RunningNatsIngest | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wakeSleeper: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wakeSleeper = resolve;
      timer = setTimeout(resolve, ms);
    });

  const loop = (async () => {
    for (let attempt = 1; !closed; attempt++) {
      await sleep(backoffDelay(policy, attempt - 1));
      if (closed) return;
      try {
        const ingest = await startNatsIngest(deps, options);
        if (closed) {
          await ingest.close();
          return;
        }
        running = ingest;
        log.info({ url: options.nats, attempts: attempt + 1 }, "NATS reachable: consuming events");
        return;
      } catch (err) {
        if (err instanceof ConfigError) {
          log.error({ url: options.nats, err: err.message }, "NATS stream or consumer cannot take the collector's options; fix them, retrying");
          attempt = 30; // the longest interval from now on
        } else if (attempt % 10 === 0) {
          log.warn({ url: options.nats, attempts: attempt + 1, err: errorMessage(err) }, "NATS still not reachable; retrying");
        }
      }
    }
  })();

  return {
    async ping() {
      if (!running) throw new UnavailableError(`NATS at ${options.nats} has not been reached since the collector started`);
      await running.ping();
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      wakeSleeper?.();
      await loop;
      await running?.close();
    },
  };
}
