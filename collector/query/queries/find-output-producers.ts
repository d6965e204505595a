import type { OutputProducer } from "../../../core/api-types.js";
import type { Store } from "../../store/store.js";

/** How many producers an outputs query answers when it names no limit. */
export const DEFAULT_PRODUCERS_LIMIT = 20;

/**
 * The runs that produced a file with this content, newest first (GET /api/v1/outputs/:digest,
 * Query.FindOutputProducers; `snaptrail which`): an empty list when none.
 */
export async function findOutputProducers(store: Store, digest: string, limit: number | undefined): Promise<{ digest: string; producers: OutputProducer[] }> {
  return { digest, producers: await store.findRunsByOutput(digest, limit ?? DEFAULT_PRODUCERS_LIMIT) };
}
