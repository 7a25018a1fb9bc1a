import { canTransition, type Database, type EntityType } from '@jobmon/api';

// "No audit event is missing and no DONE task ran again", checked on the database after a run.
//
// Every status change is a compare-and-set plus an audit row in one transaction, so for each entity the
// audit rows, in id order, must form one unbroken chain of legal transitions — each row's fromStatus is
// the previous row's toStatus — that ends at the status the entity has now. A workflow, run and task
// instance is created with an audit row (fromStatus null); a task is created REGISTERING without one (a
// DAG binds many thousands at once), so its chain starts at REGISTERING.

interface AuditRow {
  id: number;
  entity_type: EntityType;
  entity_id: number;
  workflow_id: number | null;
  from_status: string | null;
  to_status: string;
}

/** Where an entity's chain starts when it was created without an audit row. */
const CREATED_WITHOUT_AUDIT: Partial<Record<EntityType, string>> = { TASK: 'REGISTERING' };

/**
 * What is wrong with the audit log of `workflowId` (an empty list when nothing): broken or illegal
 * chains, chains not ending at the current status, rows without the workflow id, a task with more than
 * one DONE instance, or an instance of a task that started while the task was DONE.
 */
export async function auditProblems(db: Database, workflowId: number | string): Promise<string[]> {
  const id = Number(workflowId);
  const current = new Map<string, string>(); // `${type}:${id}` → status now
  const put = (type: EntityType, rows: { id: number; status: string }[]) => {
    for (const row of rows) current.set(`${type}:${Number(row.id)}`, row.status);
  };
  put('WORKFLOW', await db.select('SELECT id, status FROM workflow WHERE id = ?', [id]));
  put('WORKFLOW_RUN', await db.select('SELECT id, status FROM workflow_run WHERE workflow_id = ?', [id]));
  put('TASK', await db.select('SELECT id, status FROM task WHERE workflow_id = ?', [id]));
  const instances = await db.select<{ id: number; task_id: number; status: string }>(
    'SELECT i.id, i.task_id, i.status FROM task_instance i JOIN task t ON t.id = i.task_id WHERE t.workflow_id = ?',
    [id],
  );
  put('TASK_INSTANCE', instances);
  const taskOf = new Map(instances.map((row) => [Number(row.id), Number(row.task_id)]));

  // Every row about these entities, whatever its workflow_id says (a wrong one is a problem too).
  const rows = (
    await db.select<AuditRow>(
      `SELECT a.id, a.entity_type, a.entity_id, a.workflow_id, a.from_status, a.to_status FROM audit_event a
       WHERE a.workflow_id = ?
          OR (a.entity_type = 'WORKFLOW' AND a.entity_id = ?)
          OR (a.entity_type = 'WORKFLOW_RUN' AND a.entity_id IN (SELECT id FROM workflow_run WHERE workflow_id = ?))
          OR (a.entity_type = 'TASK' AND a.entity_id IN (SELECT id FROM task WHERE workflow_id = ?))
          OR (a.entity_type = 'TASK_INSTANCE' AND a.entity_id IN
              (SELECT i.id FROM task_instance i JOIN task t ON t.id = i.task_id WHERE t.workflow_id = ?))
       ORDER BY a.id`,
      [id, id, id, id, id],
    )
  ).map((row) => ({ ...row, id: Number(row.id), entity_id: Number(row.entity_id) }));

  const problems: string[] = [];
  const chains = new Map<string, AuditRow[]>();
  for (const row of rows) {
    const key = `${row.entity_type}:${row.entity_id}`;
    if (!current.has(key)) problems.push(`audit row ${row.id} is about ${key}, not of workflow ${id}`);
    if (row.workflow_id === null || Number(row.workflow_id) !== id)
      problems.push(`audit row ${row.id} (${key}) has workflow_id ${row.workflow_id}, not ${id}`);
    chains.set(key, [...(chains.get(key) ?? []), row]);
  }

  for (const [key, status] of current) {
    const type = key.split(':')[0] as EntityType;
    let at: string | null = CREATED_WITHOUT_AUDIT[type] ?? null;
    for (const row of chains.get(key) ?? []) {
      if (row.from_status !== at) {
        // A creation row may also open the chain of a type created without one.
        const created =
          row.from_status === null && at === CREATED_WITHOUT_AUDIT[type] && row === chains.get(key)![0];
        if (!created)
          problems.push(
            `${key}: audit row ${row.id} goes ${row.from_status} → ${row.to_status}, but it was ${at}`,
          );
      } else if (
        row.from_status !== null &&
        !canTransition(type, row.from_status as never, row.to_status as never)
      )
        problems.push(
          `${key}: audit row ${row.id} is an illegal transition ${row.from_status} → ${row.to_status}`,
        );
      at = row.to_status;
    }
    if (at !== status) problems.push(`${key} is ${status}, but its audit log ends at ${at}`);
  }

  // Instances per task: when each started (its first row reaching RUNNING or DONE) and whether it was DONE.
  const startedAt = new Map<number, number>(); // instance → audit id of its start
  const doneInstances = new Map<number, number>();
  for (const row of rows) {
    if (row.entity_type !== 'TASK_INSTANCE') continue;
    const task = taskOf.get(row.entity_id);
    if (task === undefined) continue;
    if ((row.to_status === 'RUNNING' || row.to_status === 'DONE') && !startedAt.has(row.entity_id)) {
      startedAt.set(row.entity_id, row.id);
    }
    if (row.to_status === 'DONE') doneInstances.set(task, (doneInstances.get(task) ?? 0) + 1);
  }
  for (const [task, count] of doneInstances)
    if (count > 1) problems.push(`TASK:${task} has ${count} DONE instances`);
  // While a task is DONE (from its DONE row to the next row about it), none of its instances starts.
  for (const [key, chain] of chains) {
    if (!key.startsWith('TASK:')) continue;
    const task = Number(key.slice('TASK:'.length));
    chain.forEach((row, index) => {
      if (row.to_status !== 'DONE') return;
      const until = chain[index + 1]?.id ?? Infinity;
      for (const [instance, started] of startedAt)
        if (taskOf.get(instance) === task && started > row.id && started < until)
          problems.push(
            `TASK:${task} ran again after DONE: instance ${instance} started (audit row ${started})`,
          );
    });
  }
  return problems;
}

/** Throws, listing what is wrong, unless the audit log of `workflowId` is complete (see auditProblems). */
export async function expectAuditComplete(db: Database, workflowId: number | string): Promise<void> {
  const problems = await auditProblems(db, workflowId);
  if (problems.length)
    throw new Error(
      `the audit log of workflow ${workflowId} is not complete:\n  ${problems.slice(0, 30).join('\n  ')}` +
        (problems.length > 30 ? `\n  … and ${problems.length - 30} more` : ''),
    );
}
