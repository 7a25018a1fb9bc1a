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

/** How long a client asks again a server that answered SERVER_BUSY (every client's). */
export const SERVER_BUSY_RETRY_SECONDS = 60;
