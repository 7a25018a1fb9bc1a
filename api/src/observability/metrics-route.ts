import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { logger } from '../logger';
import type { JobmonMetrics } from './metrics';

/** Whether an Authorization header carries `Bearer <token>` (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** GET /metrics: the Prometheus text format; with a token configured, only for `Bearer <token>`. */
export function metricsHandler(metrics: JobmonMetrics, token: string | null) {
  return async (req: Request, res: Response): Promise<void> => {
    if (token !== null && !bearerMatches(req.headers.authorization, token)) {
      res.status(401).set('www-authenticate', 'Bearer realm="metrics"').json({ error: 'Unauthorized' });
      return;
    }
    try {
      const text = await metrics.scrape();
      res.status(200).set('content-type', metrics.registry.contentType).send(text);
    } catch (error) {
      logger.error({ err: error }, 'collecting metrics failed');
      res.status(500).json({ error: 'collecting metrics failed' });
    }
  };
}
