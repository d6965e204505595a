/** Longest path segment the router takes (a run id, a digest); longer ones get 414. */
export const MAX_PARAM_LENGTH = 8192;
