import { describeEachDatabase } from '../testing/databases';
import { independent, submission } from '../testing/fixtures';
import { taskCountMismatches, templateUsageMismatches } from '../testing/task-counts';
import { submitWorkflow } from './submission.service';
import { claimTaskInstances, registerDistributor, reportFinished, reportLaunched, reportRunning } from '.';

// What one small report-and-claim costs in statements: a limited workflow's distributor sends one such
// request per command (bench:peers with a limit equal to its slots), so each statement is paid per task.
// The bounds are today's counts (BEGIN and COMMIT included; MySQL adds its isolation level): a change that
// adds a statement to this path should be a choice, not an accident.
describeEachDatabase(
  'a small finished report that claims the next attempt',
  (ctx) => {
    it('costs a bounded number of statements and keeps the counts exact', async () => {
      const distributorId = (await registerDistributor(ctx.db, { name: 'cost', backend: 'dummy' })).id;
      await submitWorkflow(ctx.db, submission(independent(4), { maxConcurrentlyRunning: 2 }), {
        user: null,
        maxTasks: 1000,
      });
      const claimed = await claimTaskInstances(ctx.db, distributorId, 2);
      expect(claimed).toHaveLength(2);
      for (const attempt of claimed) {
        await reportLaunched(ctx.db, distributorId, [{ id: attempt.id, backendJobId: `j${attempt.id}` }]);
        await reportRunning(ctx.db, [{ id: attempt.id, hostname: 'here' }]);
      }
      const before = ctx.db.queryCount;
      const result = await reportFinished(ctx.db, [{ id: claimed[0]!.id, outcome: 'DONE' }], {
        distributorId,
        claimLimit: 1,
      });
      const statements = ctx.db.queryCount - before;
      expect(result.accepted).toEqual([claimed[0]!.id]);
      expect(result.claimed).toHaveLength(1);
      expect(statements).toBeLessThanOrEqual(ctx.dialect === 'mysql' ? 28 : 27);
      // The limit is full again: a second claim takes nothing.
      expect(await claimTaskInstances(ctx.db, distributorId, 1)).toEqual([]);
      expect(await taskCountMismatches(ctx.db)).toEqual([]);
      expect(await templateUsageMismatches(ctx.db)).toEqual([]);
    });
  },
  { countQueries: true },
);
