import { TaskStatus } from '../../domain';
import type { DistributorFacts } from '../../domain/blocked-by';
import type { Database } from '../connection';
import { chunks } from '../bulk';
import { IN_CHUNK, inList } from './sql';

// Reads behind Task.blockedBy, each for many tasks at once (DataLoader batches a page of tasks).

/** Per task: its upstream tasks and how many of them are not DONE. */
export async function readUpstreamProgress(
  db: Database,
  taskIds: readonly number[],
): Promise<{ taskId: number; total: number; notDone: number }[]> {
  const out: { taskId: number; total: number; notDone: number }[] = [];
  for (const part of chunks([...taskIds], IN_CHUNK)) {
    const rows = await db.select<{ id: number; total: number; not_done: number | null }>(
      `SELECT e.downstream_task_id AS id, COUNT(*) AS total,
              SUM(CASE WHEN u.status = ${db.literal(TaskStatus.DONE)} THEN 0 ELSE 1 END) AS not_done
         FROM edge e JOIN task u ON u.id = e.upstream_task_id
        WHERE e.downstream_task_id IN (${inList(db, part)}) GROUP BY e.downstream_task_id`,
      [],
    );
    for (const row of rows)
      out.push({ taskId: Number(row.id), total: Number(row.total), notDone: Number(row.not_done ?? 0) });
  }
  return out;
}

/** Every registered distributor, as placement sees it (a deployment has a handful). */
export async function readDistributorPlacement(db: Database): Promise<DistributorFacts[]> {
  const rows = await db.select<{
    name: string;
    queues: string | null;
    owner: string | null;
    serves_all_users: unknown;
  }>('SELECT name, queues, owner, serves_all_users FROM distributor', []);
  return rows.map((row) => ({
    name: row.name,
    queues: row.queues ? (JSON.parse(row.queues) as string[]) : null,
    owner: row.owner ?? null,
    servesAllUsers: Boolean(Number(row.serves_all_users)),
  }));
}
