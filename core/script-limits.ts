// The bound on a recorded batch script: the agent records scripts up to its own (smaller,
// configurable) limit; the collector rejects past this one.

/** Slurm's own default max_script_size (4 MiB): no script Slurm ran by default is larger. */
export const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;
