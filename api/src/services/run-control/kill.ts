import type { Transaction } from 'sequelize';
import { EntityType, TaskInstanceStatus } from '../../domain';
import type { Database } from '../../db';
import { activeInstancesOfWorkflow } from '../../db/ops/active-instances';
import { applyChanges } from '../../db/ops/apply-changes';
import { inList } from '../../db/ops/sql';

/** Statuses in which an instance may still be running somewhere and can be asked to stop. */
const KILLABLE = [
  TaskInstanceStatus.INSTANTIATED,
  TaskInstanceStatus.LAUNCHED,
  TaskInstanceStatus.RUNNING,
  TaskInstanceStatus.TRIAGING,
] as const;

/**
 * Asks for the workflow's running instances to be killed (KILL_SELF): their distributors see it on their
 * next heartbeat or report, kill the processes and report KILLED. The reaper gives up on a kill that is not
 * confirmed within the kill timeout. Returns the instances asked.
 */
export async function killInstances(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  context: { at: Date; actor: string | null; reason: string },
  onlyTaskIds?: ReadonlySet<number>,
): Promise<number[]> {
  let instances = await activeInstancesOfWorkflow(db, transaction, workflowId, KILLABLE);
  if (onlyTaskIds) instances = instances.filter((instance) => onlyTaskIds.has(instance.task_id));
  if (instances.length === 0) return [];
  const ids = instances.map((instance) => instance.id);
  await db.execute(
    `UPDATE task_instance SET kill_requested_at = ? WHERE id IN (${inList(db, ids)})`,
    [context.at],
    transaction,
  );
  await applyChanges(
    db,
    transaction,
    EntityType.TASK_INSTANCE,
    instances.map((instance) => ({
      id: instance.id,
      workflowId,
      from: instance.status,
      to: TaskInstanceStatus.KILL_SELF,
      reason: context.reason,
    })),
    context,
  );
  return ids;
}
