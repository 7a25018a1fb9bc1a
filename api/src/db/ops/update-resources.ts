import type { Transaction } from 'sequelize';
import { chunks } from '../bulk';
import type { Database } from '../connection';
import { forUpdate, inList } from './sql';

// The SQL of updateTaskResources over every task of one template of a workflow. A template may have a
// million tasks: its tasks are never read one by one. What is read is grouped (by resource set, by scales),
// and each change is one UPDATE over the template's tasks, mapping old values to new ones with CASE.

/** Old value → new value pairs per UPDATE (each pair is two literals in a CASE). */
const PAIRS_PER_UPDATE = 500;

/** The template versions named `templateName` that the workflow's tasks use (none: no such template). */
export async function templateVersionsOfWorkflow(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  templateName: string,
): Promise<number[]> {
  const rows = await db.select<{ id: number }>(
    `SELECT wtt.task_template_version_id AS id
       FROM workflow_task_template wtt
       JOIN task_template_version tv ON tv.id = wtt.task_template_version_id
       JOIN task_template tt ON tt.id = tv.task_template_id
      WHERE wtt.workflow_id = ? AND tt.name = ?
      ORDER BY wtt.task_template_version_id`,
    [workflowId, templateName],
    transaction,
  );
  return rows.map((row) => Number(row.id));
}

/** The WHERE clause of the template's tasks (the task index leads with these two columns). */
const ofTemplate = (db: Database, workflowId: number, versionIds: readonly number[]) =>
  `workflow_id = ${db.literal(workflowId)} AND task_template_version_id IN (${inList(db, versionIds)})`;

/**
 * The template's tasks grouped by `column` (task_resources_id or resource_scales): each value and how many
 * tasks have it. The tasks are locked (MySQL), so none changes between this read and the UPDATE.
 */
export async function groupTemplateTasks(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  versionIds: readonly number[],
  column: 'task_resources_id' | 'resource_scales',
): Promise<{ value: unknown; tasks: number }[]> {
  const rows = await db.select<{ value: unknown; tasks: number | string }>(
    `SELECT ${column} AS value, COUNT(*) AS tasks FROM task
      WHERE ${ofTemplate(db, workflowId, versionIds)}
      GROUP BY ${column}${forUpdate(db)}`,
    [],
    transaction,
  );
  return rows.map((row) => ({ value: row.value, tasks: Number(row.tasks) }));
}

/** How many tasks the template has in the workflow. */
export async function countTemplateTasks(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  versionIds: readonly number[],
): Promise<number> {
  const [row] = await db.select<{ tasks: number | string }>(
    `SELECT COUNT(*) AS tasks FROM task WHERE ${ofTemplate(db, workflowId, versionIds)}`,
    [],
    transaction,
  );
  return Number(row?.tasks ?? 0);
}

/**
 * Sets `column` of the template's tasks from `changes` (old value → new value; a null old value matches
 * NULL); tasks whose value is not a key keep theirs. One UPDATE per PAIRS_PER_UPDATE pairs (usually one).
 */
export async function remapTemplateTasks(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  versionIds: readonly number[],
  column: 'task_resources_id' | 'resource_scales',
  changes: ReadonlyMap<number | string | null, number | string>,
): Promise<void> {
  for (const part of chunks([...changes], PAIRS_PER_UPDATE)) {
    const cases = part
      .map(([from, to]) =>
        from === null
          ? `WHEN ${column} IS NULL THEN ${db.literal(to)}`
          : `WHEN ${column} = ${db.literal(from)} THEN ${db.literal(to)}`,
      )
      .join(' ');
    const olds = part.flatMap(([from]) => (from === null ? [] : [from]));
    const matches = [
      ...(olds.length ? [`${column} IN (${inList(db, olds)})`] : []),
      ...(part.some(([from]) => from === null) ? [`${column} IS NULL`] : []),
    ].join(' OR ');
    await db.execute(
      `UPDATE task SET ${column} = CASE ${cases} ELSE ${column} END
        WHERE ${ofTemplate(db, workflowId, versionIds)} AND (${matches})`,
      [],
      transaction,
    );
  }
}
