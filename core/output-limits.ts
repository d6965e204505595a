// Bounds on what a run may record as outputs: the agent stops at them, the collector rejects past them.

/** Outputs one run may record. */
export const MAX_OUTPUTS_PER_RUN = 10_000;
/** PATH_MAX on Linux. */
export const MAX_OUTPUT_PATH_CHARS = 4096;
