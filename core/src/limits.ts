// Limits and defaults that more than one package must agree on.

/** The worker keeps the last this many bytes of each stream of a command (the task's stdout/stderr tail). */
export const TAIL_BYTES = 64 * 1024;

/** The API server's port when none is given (PORT), and so the server the clients talk to by default. */
export const DEFAULT_PORT = 4000;
export const DEFAULT_SERVER_URL = `http://localhost:${DEFAULT_PORT}`;

/** How many of a workflow's tasks may run at once when its submission does not say. */
export const DEFAULT_MAX_CONCURRENTLY_RUNNING = 10_000;

/**
 * Tasks per request of a chunked submission when neither the caller nor the server asks for fewer (in
 * every client): keeps each body a few MB.
 */
export const DEFAULT_MAX_TASKS_PER_REQUEST = 50_000;

/**
 * Items (tasks plus upstream references) one submitWorkflow or addWorkflowTasks request may carry when the
 * server is not set otherwise (JOBMON_MAX_ITEMS_PER_REQUEST; serverLimits.maxItemsPerRequest says the
 * server's). Reading, checking and coercing a request is synchronous work that no other request can
 * interleave with: at 10,000 items it stays around 100 ms on a loaded 2-core machine (docs/benchmarks.md,
 * bench:flood). Every client splits a larger DAG by this count, so a task may list at most this many
 * minus one upstream keys.
 */
export const DEFAULT_MAX_ITEMS_PER_REQUEST = 10_000;

/** What a task costs of a request's items: itself and each upstream key it lists. */
export function submissionItems(task: { upstream?: readonly unknown[] | null }): number {
  return 1 + (task.upstream?.length ?? 0);
}

/**
 * Attempt ids one distributor request may carry (reports, claims, a heartbeat's active list): bounds the
 * request's transaction on the server. A distributor with more active attempts beats in several requests.
 */
export const MAX_IDS_PER_DISTRIBUTOR_REQUEST = 5_000;

/** How long a client asks again a server that answered SERVER_BUSY (every client's). */
export const SERVER_BUSY_RETRY_SECONDS = 60;

/**
 * The most characters (code points, as MySQL's VARCHAR(255) counts them) a name or key may have: tool,
 * workflow, template, argument, task key and name, queue. A server may be set to allow fewer.
 */
export const MAX_NAME_LENGTH = 255;

/** Whether `value` has more than `max` code points, counted only as far as needed. */
export function exceedsCodePoints(value: string, max: number): boolean {
  if (value.length <= max) return false; // code points ≤ UTF-16 units
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    if (++count > max) return true;
  }
  return false;
}

/**
 * Why `value` cannot be a name (`field` says which), or null: longer than `maxLength` characters, or
 * holding a NUL (no name, command or path can; SQLite reads SQL text only up to one).
 */
export function nameProblem(
  value: string,
  field: string,
  maxLength: number = MAX_NAME_LENGTH,
): string | null {
  if (exceedsCodePoints(value, maxLength)) return `${field} is longer than ${maxLength} characters`;
  if (value.includes('\0')) return `${field} contains a NUL character`;
  return null;
}
