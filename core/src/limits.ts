// Limits that more than one package must agree on.

/** The worker keeps the last this many bytes of each stream of a command (the task's stdout/stderr tail). */
export const TAIL_BYTES = 64 * 1024;
