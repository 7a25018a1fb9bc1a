import { ErrorCode } from '@jobmon/core';
import http from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { logger } from './logger';

/** The error type of a body refused because too many body bytes are being read at once (503). */
export const BODY_BUDGET_EXCEEDED = 'body.budget.exceeded';
const BODY_BUDGET_RETRY_AFTER_SECONDS = 1;
/** The error type of a body cut because it arrived slower than the minimum upload rate (408). */
export const BODY_TOO_SLOW = 'body.too.slow';

/**
 * A request body that could not be read (over the limit, malformed JSON) as a GraphQL-shaped JSON error
 * with a stable code, instead of an HTML error page.
 */
export function payloadErrorResponse(error: unknown): {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
} {
  const type = (error as { type?: string }).type;
  const status = (error as { status?: number }).status ?? 500;
  if (type === BODY_BUDGET_EXCEEDED) {
    return {
      status: 503,
      headers: { 'retry-after': String(BODY_BUDGET_RETRY_AFTER_SECONDS) },
      body: {
        errors: [
          {
            message: `Too many large request bodies are being read at once; retry in ${BODY_BUDGET_RETRY_AFTER_SECONDS} s`,
            extensions: { code: ErrorCode.SERVER_BUSY, retryAfterSeconds: BODY_BUDGET_RETRY_AFTER_SECONDS },
          },
        ],
      },
    };
  }
  if (type === BODY_TOO_SLOW) {
    const minBytesPerSecond = (error as { minBytesPerSecond?: number }).minBytesPerSecond;
    return {
      status: 408,
      body: {
        errors: [
          {
            message: `Request body arrived slower than the minimum of ${minBytesPerSecond} bytes per second`,
            extensions: { code: ErrorCode.REQUEST_TIMEOUT, minBytesPerSecond },
          },
        ],
      },
    };
  }
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    return {
      status: 413,
      body: {
        errors: [
          {
            message: `Request body is larger than the limit of ${limit} bytes; submit big DAGs with the chunked binding`,
            extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE, limit },
          },
        ],
      },
    };
  }
  if (type === 'entity.parse.failed') {
    return {
      status: 400,
      body: {
        errors: [
          {
            message: `Malformed JSON body: ${(error as Error).message}`,
            extensions: { code: ErrorCode.BAD_REQUEST },
          },
        ],
      },
    };
  }
  if (status >= 500) logger.error({ err: error }, 'HTTP request failed');
  // Body-reading errors (they carry a `type`) describe the request; any other error's message may
  // describe the server (file system errors name absolute paths): only the status is told.
  const message =
    status >= 500
      ? 'Internal server error'
      : type !== undefined
        ? (error as Error).message
        : (http.STATUS_CODES[status] ?? 'Bad Request');
  const code = status === 404 ? 'NOT_FOUND' : status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST';
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

/** The same for express routes. */
export const jsonErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const response = payloadErrorResponse(error);
  res.set(response.headers ?? {});
  res.status(response.status).json(response.body);
};
