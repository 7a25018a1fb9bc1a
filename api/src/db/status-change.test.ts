import { EntityType, ErrorCode, IllegalTransitionError, StaleStatusError } from '../domain';
import { submitWorkflow } from '../services/submission.service';
import type { WorkflowSubmission } from '../services/submission.types';
import { describeEachDatabase } from '../testing/databases';
import { chain, submission } from '../testing/fixtures';
import { Database } from './connection';
import { changeStatus, changeStatuses } from './status-change';

// The one door for status changes: a compare-and-set on the from-status plus its audit row, all in the
// caller's transaction, on both databases.

interface AuditRow {
  id: number;
  at: Date | string;
  entity_type: string;
  entity_id: number;
  workflow_id: number | null;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  actor: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachDatabase('changeStatus / changeStatuses', (ctx) => {
  async function submit(input: WorkflowSubmission) {
    const result = await submitWorkflow(ctx.db, input, { user: null, maxTasks: 1000 });
    const tasks = await ctx.db.select<{ id: number; task_key: string; status: string }>(
      'SELECT id, task_key, status FROM task WHERE workflow_id = ? ORDER BY id',
      [result.workflowId],
    );
    const byKey = new Map(tasks.map((task) => [task.task_key, { id: Number(task.id), status: task.status }]));
    return { ...result, byKey };
  }

  async function statusOf(table: string, id: number): Promise<string | undefined> {
    const rows = await ctx.db.select<{ status: string }>(`SELECT status FROM ${table} WHERE id = ?`, [id]);
    return rows[0]?.status;
  }

  async function auditOf(entityType: string, entityId: number): Promise<AuditRow[]> {
    return ctx.db.select<AuditRow>(
      'SELECT * FROM audit_event WHERE entity_type = ? AND entity_id = ? ORDER BY id',
      [entityType, entityId],
    );
  }

  async function auditCount(): Promise<number> {
    const [row] = await ctx.db.select<{ n: number }>('SELECT COUNT(*) AS n FROM audit_event');
    return Number(row!.n);
  }

  it('moves a task REGISTERING → QUEUED and writes exactly one audit row with from, to, reason and actor', async () => {
    const { workflowId, byKey } = await submit(submission(chain(2, 'c')));
    const task = byKey.get('c1')!;
    expect(task.status).toBe('REGISTERING');
    const before = await auditOf(EntityType.TASK, task.id);
    expect(before).toEqual([]); // tasks are created silently; only changes are audited
    const at = new Date('2030-01-02T03:04:05.678Z');

    await ctx.db.transaction((t) =>
      changeStatus(ctx.db, t, EntityType.TASK, task.id, 'REGISTERING', 'QUEUED', {
        workflowId,
        reason: 'upstream done',
        actor: 'alice',
        at,
      }),
    );

    expect(await statusOf('task', task.id)).toBe('QUEUED');
    const audit = await auditOf(EntityType.TASK, task.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      entity_type: 'TASK',
      workflow_id: workflowId,
      from_status: 'REGISTERING',
      to_status: 'QUEUED',
      reason: 'upstream done',
      actor: 'alice',
    });
    expect(Number(audit[0]!.entity_id)).toBe(task.id);
    expect(new Date(audit[0]!.at).getTime()).toBe(at.getTime());
    const [row] = await ctx.db.select<{ status_updated_at: Date | string }>(
      'SELECT status_updated_at FROM task WHERE id = ?',
      [task.id],
    );
    expect(new Date(row!.status_updated_at).getTime()).toBe(at.getTime());
  });

  it('refuses an illegal pair (DONE → RUNNING) before touching the row, and writes nothing', async () => {
    const { workflowId, byKey } = await submit(submission(chain(1, 'c')));
    const task = byKey.get('c0')!;
    expect(task.status).toBe('QUEUED');
    await ctx.db.transaction((t) =>
      changeStatus(ctx.db, t, EntityType.TASK, task.id, 'QUEUED', 'DONE', { workflowId }),
    );
    const audits = await auditCount();

    const error = await ctx.db
      .transaction((t) =>
        changeStatus(ctx.db, t, EntityType.TASK, task.id, 'DONE', 'RUNNING', { workflowId }),
      )
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).not.toBeInstanceOf(StaleStatusError);
    expect((error as IllegalTransitionError).code).toBe(ErrorCode.ILLEGAL_TRANSITION);
    expect((error as IllegalTransitionError).details).toMatchObject({
      from: 'DONE',
      to: 'RUNNING',
      entityId: task.id,
    });
    expect(await statusOf('task', task.id)).toBe('DONE');
    expect(await auditCount()).toBe(audits);
  });

  it('refuses staying in the same status', async () => {
    const { workflowId, byKey } = await submit(submission(chain(1, 'c')));
    const task = byKey.get('c0')!;
    await expect(
      ctx.db.transaction((t) =>
        changeStatus(ctx.db, t, EntityType.TASK, task.id, 'QUEUED', 'QUEUED', { workflowId }),
      ),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    expect(await auditOf(EntityType.TASK, task.id)).toHaveLength(1); // only the REGISTERING → QUEUED of the binding
  });

  it('a stale from-status throws StaleStatusError (ILLEGAL_TRANSITION) and the transaction writes nothing', async () => {
    const { workflowId, byKey } = await submit(submission(chain(2, 'c')));
    const queued = byKey.get('c0')!;
    const other = byKey.get('c1')!;
    expect(queued.status).toBe('QUEUED');
    const audits = await auditCount();

    // The caller believes the task is still REGISTERING; the same transaction first makes another change,
    // which must be rolled back with it.
    const error = await ctx.db
      .transaction(async (t) => {
        await changeStatus(ctx.db, t, EntityType.TASK, other.id, 'REGISTERING', 'QUEUED', { workflowId });
        await changeStatus(ctx.db, t, EntityType.TASK, queued.id, 'REGISTERING', 'QUEUED', { workflowId });
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StaleStatusError);
    expect(error).toBeInstanceOf(IllegalTransitionError);
    const stale = error as StaleStatusError;
    expect(stale.code).toBe('ILLEGAL_TRANSITION');
    expect(stale.found).toBe('QUEUED');
    expect(stale.entityId).toBe(queued.id);
    expect(stale.message).toContain('is QUEUED, not REGISTERING');
    expect(await statusOf('task', queued.id)).toBe('QUEUED');
    expect(await statusOf('task', other.id)).toBe('REGISTERING');
    expect(await auditCount()).toBe(audits);
  });

  it('a missing row is a StaleStatusError with found = null', async () => {
    const audits = await auditCount();
    const error = await ctx.db
      .transaction((t) =>
        changeStatus(ctx.db, t, EntityType.TASK, 987_654_321, 'REGISTERING', 'QUEUED', { workflowId: null }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleStatusError);
    expect((error as StaleStatusError).found).toBeNull();
    expect(await auditCount()).toBe(audits);
  });

  it('changeStatuses moves many tasks with one audit row each', async () => {
    const { workflowId, byKey } = await submit(submission(chain(6, 'c')));
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5'].map((key) => byKey.get(key)!.id);
    const audits = await auditCount();
    await ctx.db.transaction((t) =>
      changeStatuses(ctx.db, t, EntityType.TASK, [...ids, ids[0]!], 'REGISTERING', 'QUEUED', {
        workflowId,
        reason: 'bulk',
      }),
    );
    for (const id of ids) {
      expect(await statusOf('task', id)).toBe('QUEUED');
      const audit = await auditOf(EntityType.TASK, id);
      expect(audit.map((row) => [row.from_status, row.to_status, row.reason])).toEqual([
        ['REGISTERING', 'QUEUED', 'bulk'],
      ]);
    }
    // The duplicate id counts once.
    expect(await auditCount()).toBe(audits + ids.length);
  });

  it('changeStatuses is all-or-nothing when one of the ids is stale', async () => {
    const { workflowId, byKey } = await submit(submission(chain(5, 'c')));
    const registering = ['c1', 'c2', 'c3', 'c4'].map((key) => byKey.get(key)!.id);
    const queued = byKey.get('c0')!.id; // already QUEUED: stale for REGISTERING → QUEUED
    const audits = await auditCount();

    const error = await ctx.db
      .transaction((t) =>
        changeStatuses(
          ctx.db,
          t,
          EntityType.TASK,
          [registering[0]!, registering[1]!, queued, registering[2]!, registering[3]!],
          'REGISTERING',
          'QUEUED',
          { workflowId },
        ),
      )
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StaleStatusError);
    expect((error as StaleStatusError).entityId).toBe(queued);
    expect((error as StaleStatusError).found).toBe('QUEUED');
    for (const id of registering) expect(await statusOf('task', id)).toBe('REGISTERING');
    expect(await auditCount()).toBe(audits);
  });

  it('an empty id list is a no-op', async () => {
    const audits = await auditCount();
    await ctx.db.transaction((t) =>
      changeStatuses(ctx.db, t, EntityType.TASK, [], 'REGISTERING', 'QUEUED', { workflowId: null }),
    );
    expect(await auditCount()).toBe(audits);
  });

  it('changes of a workflow run also touch updated_at and are audited against the workflow', async () => {
    const { workflowId, workflowRunId } = await submit(submission(chain(1, 'c')));
    expect(await statusOf('workflow_run', workflowRunId)).toBe('BOUND');
    const at = new Date(Date.now() + 60_000);
    await ctx.db.transaction((t) =>
      changeStatus(ctx.db, t, EntityType.WORKFLOW_RUN, workflowRunId, 'BOUND', 'RUNNING', {
        workflowId,
        actor: 'scheduler',
        at,
      }),
    );
    const [run] = await ctx.db.select<{
      status: string;
      updated_at: Date | string;
      status_updated_at: Date | string;
    }>('SELECT status, updated_at, status_updated_at FROM workflow_run WHERE id = ?', [workflowRunId]);
    expect(run!.status).toBe('RUNNING');
    expect(new Date(run!.updated_at).getTime()).toBe(at.getTime());
    expect(new Date(run!.status_updated_at).getTime()).toBe(at.getTime());
    const audit = await auditOf(EntityType.WORKFLOW_RUN, workflowRunId);
    expect(audit.map((row) => [row.from_status, row.to_status])).toEqual([
      [null, 'REGISTERED'],
      ['REGISTERED', 'BOUND'],
      ['BOUND', 'RUNNING'],
    ]);
    expect(audit[2]!.actor).toBe('scheduler');
    expect(Number(audit[2]!.workflow_id)).toBe(workflowId);
  });

  it('the audit ids are monotonic in the order of the changes', async () => {
    const { workflowId, byKey } = await submit(submission(chain(3, 'c')));
    const [a, b] = [byKey.get('c1')!.id, byKey.get('c2')!.id];
    await ctx.db.transaction(async (t) => {
      await changeStatus(ctx.db, t, EntityType.TASK, b, 'REGISTERING', 'QUEUED', { workflowId });
      await changeStatus(ctx.db, t, EntityType.TASK, a, 'REGISTERING', 'QUEUED', { workflowId });
    });
    const [auditB] = await auditOf(EntityType.TASK, b);
    const [auditA] = await auditOf(EntityType.TASK, a);
    expect(Number(auditA!.id)).toBeGreaterThan(Number(auditB!.id));
  });

  describe('two concurrent transactions doing the same compare-and-set', () => {
    /** Both try QUEUED → INSTANTIATING on the same task; the first holds its transaction open a while. */
    async function race(first: Database, second: Database) {
      const { workflowId, byKey } = await submit(submission(chain(1, 'c')));
      const task = byKey.get('c0')!.id;
      const audits = await auditCount();
      const claim = (db: Database, holdMs: number, actor: string) =>
        db.transaction(async (t) => {
          await changeStatus(db, t, EntityType.TASK, task, 'QUEUED', 'INSTANTIATING', { workflowId, actor });
          await sleep(holdMs);
          return actor;
        });
      const results = await Promise.allSettled([
        claim(first, 300, 'one'),
        sleep(50).then(() => claim(second, 0, 'two')),
      ]);
      const fulfilled = results.filter((r): r is PromiseFulfilledResult<string> => r.status === 'fulfilled');
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.reason).toBeInstanceOf(StaleStatusError);
      expect((rejected[0]!.reason as StaleStatusError).found).toBe('INSTANTIATING');
      expect(await statusOf('task', task)).toBe('INSTANTIATING');
      const audit = await auditOf(EntityType.TASK, task);
      expect(audit.filter((row) => row.to_status === 'INSTANTIATING').map((row) => row.actor)).toEqual([
        fulfilled[0]!.value,
      ]);
      expect(await auditCount()).toBe(audits + 1);
    }

    it('exactly one succeeds (same connection pool)', async () => {
      await race(ctx.db, ctx.db);
    });

    it('exactly one succeeds (two processes: two Database connections to the same database)', async () => {
      const other = await Database.connect(ctx.url);
      try {
        await race(ctx.db, other);
      } finally {
        await other.close();
      }
    });

    it('exactly one of many simultaneous claimers succeeds', async () => {
      const { workflowId, byKey } = await submit(submission(chain(1, 'c')));
      const task = byKey.get('c0')!.id;
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          ctx.db.transaction((t) =>
            changeStatus(ctx.db, t, EntityType.TASK, task, 'QUEUED', 'INSTANTIATING', {
              workflowId,
              actor: `claimer-${i}`,
            }),
          ),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected'))
        expect(r.reason).toBeInstanceOf(StaleStatusError);
      expect(
        (await auditOf(EntityType.TASK, task)).filter((row) => row.to_status === 'INSTANTIATING'),
      ).toHaveLength(1);
    });
  });
});
