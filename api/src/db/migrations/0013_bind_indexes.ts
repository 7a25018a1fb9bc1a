import { QueryTypes, type QueryInterface } from 'sequelize';

// Migration 0013: two indexes that every bind wrote and no read needs.
// - task (status, id): no statement reads tasks by status across workflows any more (status counts and
//   metrics read the kept counts, 0010 and 0012; every task read names its workflow and is served by
//   (workflow_id, status, id) or (workflow_id, task_template_version_id, status)), yet each bound task and
//   each task status change wrote an entry into it.
// - edge (workflow_id): a quarter of the cost of inserting an edge on MySQL, and a third of the edge
//   table's entries. The reads of a workflow's edges start from its tasks instead (task's workflow
//   indexes, then edge's primary key or (downstream_task_id)). On MySQL the foreign key edge.workflow_id →
//   workflow goes with it (InnoDB keeps an index for each foreign key): an edge is deleted with its tasks
//   by their own foreign keys, whose cascade a workflow's deletion already goes through. SQLite keeps the
//   constraint (dropping it would rebuild the table), and so the index: without it, deleting a workflow
//   row (an aborted or expired binding) would scan every edge of the database.

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeIndex('task', 'task_status_id');
  if (qi.sequelize.getDialect() === 'mysql') {
    const constraints = await qi.sequelize.query<{ name: string }>(
      `SELECT CONSTRAINT_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'edge' AND COLUMN_NAME = 'workflow_id'
          AND REFERENCED_TABLE_NAME = 'workflow'`,
      { type: QueryTypes.SELECT },
    );
    for (const { name } of constraints)
      await qi.sequelize.query(`ALTER TABLE edge DROP FOREIGN KEY \`${name.replace(/`/g, '``')}\``);
    await qi.removeIndex('edge', 'edge_workflow_id');
  }
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  if (qi.sequelize.getDialect() === 'mysql') {
    await qi.addIndex('edge', ['workflow_id'], { name: 'edge_workflow_id' });
    await qi.sequelize.query(
      'ALTER TABLE edge ADD FOREIGN KEY (workflow_id) REFERENCES workflow (id) ON DELETE CASCADE',
    );
  }
  await qi.addIndex('task', ['status', 'id'], { name: 'task_status_id' });
}
