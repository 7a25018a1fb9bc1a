import type { Database } from '../../db';
import { logger } from '../../logger';
import { finishColdResumes, reap, type ReaperOptions } from './reaper';

export interface ReaperLoop {
  /** Runs one reaper pass now (tests, and after a restart). */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The server's one background loop: the reaper, every `intervalSeconds` (a fraction of the heartbeat, so
 * that a silence of three heartbeats is noticed promptly). Scheduling itself needs no loop: it happens in
 * the transactions of the reports.
 */
export function startReaperLoop(
  db: Database,
  options: ReaperOptions & { intervalSeconds?: number },
): ReaperLoop {
  const intervalMs =
    1000 * (options.intervalSeconds ?? Math.max(0.5, Math.min(5, options.heartbeatSeconds / 2)));
  let running: Promise<void> | null = null;
  let stopped = false;
  const startedAt = new Date();
  const sweep = () => {
    // Silence counts from when heartbeats could be recorded: since this server started, and since the
    // database last could not be reached (a database restart must not get running work retried).
    const lost = db.lastConnectionFailureAt;
    const upSince = lost && lost > startedAt ? lost : startedAt;
    running ??= reap(db, { upSince, ...options })
      .then((result) => {
        if (result.triaged || result.lost || result.killsGivenUp || result.resumesFinished)
          logger.info(result, 'reaper sweep');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'reaper sweep failed'))
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void sweep();
  }, intervalMs);
  timer.unref();
  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * After reports (a killed instance may report KILLED or the error its kill caused), a cold resume waiting
 * for its kills can start its new run at once instead of at the next reaper pass.
 */
export async function afterReports(db: Database): Promise<void> {
  await finishColdResumes(db);
}
