import type { ErrorRequestHandler } from 'express';
import { logger } from './logger';

/**
 * Body-parser failures (a body over the limit, malformed JSON) answered as GraphQL-shaped JSON errors
 * with stable codes, instead of express's HTML error page.
 */
export const jsonErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const type = (error as { type?: string }).type;
  const status = (error as { status?: number }).status ?? 500;
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    res.status(413).json({
      errors: [
        {
          message: `Request body is larger than the limit of ${limit} bytes; submit big DAGs with the chunked binding`,
          extensions: { code: 'PAYLOAD_TOO_LARGE', limit },
        },
      ],
    });
    return;
  }
  if (type === 'entity.parse.failed') {
    res.status(400).json({
      errors: [
        { message: `Malformed JSON body: ${(error as Error).message}`, extensions: { code: 'BAD_REQUEST' } },
      ],
    });
    return;
  }
  if (status >= 500) logger.error({ err: error }, 'HTTP request failed');
  res.status(status).json({
    errors: [
      {
        message: status >= 500 ? 'Internal server error' : (error as Error).message,
        extensions: { code: 'BAD_REQUEST' },
      },
    ],
  });
};
