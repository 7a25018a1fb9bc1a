import { MAX_IDS_PER_DISTRIBUTOR_REQUEST } from '@jobmon/core';
import type DataLoader from 'dataloader';
import type { Database } from '../../db';
import { serialBatchLoader } from '../serial-batches';
import { heartbeatTaskInstances } from './registry';

/** Ids in one batch's statements: the bound of a distributor request's. */
const MAX_BATCH = MAX_IDS_PER_DISTRIBUTOR_REQUEST;
/**
 * How long a batch gathers heartbeats before it is written. A worker beats every 30 s and waits seconds
 * for the answer, so 25 ms more is nothing to it; at 20,000 running (667 heartbeats/s) it makes about 17
 * heartbeats a transaction instead of 2-3, and the transaction's five statements were most of the
 * server's CPU per heartbeat.
 */
const GATHER_MS = 25;

/**
 * Workers' heartbeats (`heartbeatTaskInstances`), written together: each one waits for the write under
 * way to end (and GATHER_MS more) and joins the next, which is one transaction (one UPDATE … IN, one
 * read) for all that came meanwhile. Thousands of workers each sending one per interval would otherwise cost a transaction each;
 * batched, the writes follow the database's pace and a heartbeat waits at most one batch longer.
 * One per server (its composition root makes it).
 */
export class InstanceHeartbeats {
  private readonly loader: DataLoader<number, boolean>;

  constructor(db: Database) {
    this.loader = serialBatchLoader(
      async (ids) => {
        const kill = new Set(await heartbeatTaskInstances(db, ids));
        return ids.map((id) => kill.has(id));
      },
      MAX_BATCH,
      GATHER_MS,
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
