import { describeEachDatabase } from '../../testing/databases';
import { independent, submission } from '../../testing/fixtures';
import { submitWorkflow } from '../submission.service';
import { claimTaskInstances, reap, registerDistributor, reportRunning } from '..';
import { InstanceHeartbeats } from './instance-heartbeats';

// Workers' heartbeats are written in batches: many at once cost one transaction, each caller still gets
// its own answer, and an attempt whose worker went silent is still given up by the reaper.

describeEachDatabase('InstanceHeartbeats', (ctx) => {
  it('writes concurrent heartbeats in one transaction and answers each worker its own kills', async () => {
    const distributorId = (await registerDistributor(ctx.db, { name: 'batched-beats', backend: 'dummy' })).id;
    await submitWorkflow(ctx.db, submission(independent(30)), { user: null, maxTasks: 1000 });
    const ids = (await claimTaskInstances(ctx.db, distributorId, 30)).map((instance) => instance.id);
    await reportRunning(
      ctx.db,
      ids.map((id) => ({ id })),
      { distributorId },
    );
    const [killed, ...alive] = ids as [number, ...number[]];
    await ctx.db.execute(`UPDATE task_instance SET status = 'KILL_SELF' WHERE id = ?`, [killed]);
    const past = new Date(Date.now() - 3_600_000);
    await ctx.db.execute('UPDATE task_instance SET heartbeat_at = ?', [past]);

    const heartbeats = new InstanceHeartbeats(ctx.db);
    const transactions = jest.spyOn(ctx.db, 'transaction');
    try {
      // One worker each, all at once (the last one silent).
      const silent = alive.pop()!;
      const answers = await Promise.all([killed, ...alive].map((id) => heartbeats.record([id])));
      expect(transactions).toHaveBeenCalledTimes(1);
      expect(answers[0]).toEqual([killed]);
      expect(answers.slice(1)).toEqual(alive.map(() => []));

      const rows = await ctx.db.select<{ id: number; heartbeat_at: Date | string }>(
        'SELECT id, heartbeat_at FROM task_instance WHERE id IN (?, ?)',
        [alive[0], silent],
      );
      const beatAt = new Map(rows.map((row) => [Number(row.id), new Date(row.heartbeat_at).getTime()]));
      expect(beatAt.get(alive[0]!)).toBeGreaterThan(past.getTime());
      expect(beatAt.get(silent)).toBe(past.getTime());
      transactions.mockRestore();

      // The reaper finds the silent one overdue (its distributor is asked); the others beat in time.
      await reap(ctx.db, { heartbeatSeconds: 60, killTimeoutSeconds: 3600 });
      const triaging = await ctx.db.select<{ id: number }>(
        `SELECT id FROM task_instance WHERE status = 'TRIAGING' ORDER BY id`,
      );
      expect(triaging.map((row) => Number(row.id))).toEqual([silent]);
    } finally {
      transactions.mockRestore();
    }
  });
});
