import type { Transaction } from 'sequelize';
import type { EntityType, StatusOf } from '../../domain';
import type { Database } from '../connection';
import { changeStatuses, type ChangeContext } from '../status-change';

export interface StatusChange<E extends EntityType> {
  id: number;
  workflowId: number;
  from: StatusOf<E>;
  to: StatusOf<E>;
  reason?: string | null;
}

/**
 * Applies many changes of one entity type: one CAS UPDATE + audit insert per (workflow, from, to, reason).
 * An entity may change more than once (RUNNING → ERROR_RECOVERABLE → QUEUED): its n-th change goes in the
 * n-th round, so every group's rows are in its from-status when the group runs.
 */
export async function applyChanges<E extends EntityType>(
  db: Database,
  transaction: Transaction,
  entityType: E,
  changes: readonly StatusChange<E>[],
  context: Omit<ChangeContext, 'workflowId' | 'reason'>,
): Promise<void> {
  const rounds: Map<string, { change: StatusChange<E>; ids: number[] }>[] = [];
  const seen = new Map<number, number>();
  for (const change of changes) {
    const round = seen.get(change.id) ?? 0;
    seen.set(change.id, round + 1);
    const groups = (rounds[round] ??= new Map());
    const key = `${change.workflowId}\u0000${change.from}\u0000${change.to}\u0000${change.reason ?? ''}`;
    const group = groups.get(key);
    if (group) group.ids.push(change.id);
    else groups.set(key, { change, ids: [change.id] });
  }
  for (const groups of rounds) {
    for (const { change, ids } of groups.values()) {
      await changeStatuses(db, transaction, entityType, ids, change.from, change.to, {
        ...context,
        workflowId: change.workflowId,
        reason: change.reason ?? null,
      });
    }
  }
}
