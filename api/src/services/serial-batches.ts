import DataLoader from 'dataloader';

/**
 * A DataLoader whose batches run one at a time: each load waits for the batch under way to end and joins
 * the next, so that what arrives meanwhile costs one statement, not one each. Under a steady stream of
 * single requests (thousands of workers each heartbeating) the statements follow the database's pace and a
 * request waits at most one batch longer. No cache: every load is answered by a batch of its own time.
 * `gatherMs`: how long a batch also waits for more after the one under way ended (0: the next turn of
 * the event loop), for loads that can wait that long.
 */
export function serialBatchLoader<K, V>(
  load: (keys: readonly K[]) => Promise<V[]>,
  maxBatchSize: number,
  gatherMs = 0,
): DataLoader<K, V> {
  let running: Promise<unknown> = Promise.resolve();
  return new DataLoader<K, V>(
    (keys) => {
      const batch = load(keys);
      running = batch.catch(() => undefined);
      return batch;
    },
    {
      cache: false,
      maxBatchSize,
      batchScheduleFn: (dispatch) =>
        void running.then(() => (gatherMs > 0 ? setTimeout(dispatch, gatherMs) : setImmediate(dispatch))),
    },
  );
}
