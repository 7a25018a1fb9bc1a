import DataLoader from 'dataloader';
import type { Database } from '../../db';
import { heartbeatTaskInstances } from './registry';

/** Ids in one batch's statements (the reports' bound). */
const MAX_BATCH = 5000;

/**
 * Workers' heartbeats (`heartbeatTaskInstances`), written together: each one waits for the write under
 * way to end and joins the next, which is one transaction (one UPDATE … IN, one read) for all that came
 * meanwhile. Thousands of workers each sending one per interval would otherwise cost a transaction each;
 * batched, the writes follow the database's pace and a heartbeat waits at most one batch longer.
 * One per server (its composition root makes it).
 */
export class InstanceHeartbeats {
  private writing: Promise<unknown> = Promise.resolve();
  private readonly loader: DataLoader<number, boolean>;

  constructor(db: Database) {
    this.loader = new DataLoader<number, boolean>(
      async (ids) => {
        const write = heartbeatTaskInstances(db, ids);
        this.writing = write.catch(() => undefined);
        const kill = new Set(await write);
        return ids.map((id) => kill.has(id));
      },
      {
        cache: false,
        maxBatchSize: MAX_BATCH,
        // The next batch gathers while this one is written: its heartbeats go in one statement.
        batchScheduleFn: (dispatch) => void this.writing.then(() => setImmediate(dispatch)),
      },
    );
  }

  /** Records that these instances are alive; answers the ones their workers must kill. */
  async record(ids: readonly number[]): Promise<number[]> {
    const kill = await this.loader.loadMany(ids);
    const failed = kill.find((answer): answer is Error => answer instanceof Error);
    if (failed) throw failed;
    return ids.filter((_, index) => kill[index] === true);
  }
}
