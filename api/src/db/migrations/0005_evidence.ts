import { randomBytes } from 'node:crypto';
import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';

// Migration 0005: what proves that a result belongs to an attempt.
// - `deployment`: one row, a random id made when this migration first runs on a database. Distributors
//   keep their files under `<log dir>/<deployment id>/`, so that a new database (or a second deployment)
//   in the same working directory never meets the files of another one's attempts.
// - `task_instance.nonce`: a random value per attempt, made at claim time; the command's wrapper writes it
//   into its exit file (and the Slurm worker into its report file), and a result is adopted only from
//   files that carry it (a database restored from a backup reuses instance ids, not nonces).
// - `task_instance.given_up_at`: the server gave the attempt up while its command may still run (its
//   distributor went silent, or a kill was never confirmed); until that distributor has killed it or
//   reported its end, it claims nothing.
// - `task_instance.late_outcome`: what such an attempt reported after it was given up (recorded, never
//   applied: the retry stands).

const newNonce = (): string => randomBytes(16).toString('hex');

const ACTIVE = ['INSTANTIATED', 'LAUNCHED', 'RUNNING', 'TRIAGING', 'KILL_SELF'];

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('deployment', {
    id: { type: DataTypes.CHAR(32), primaryKey: true, allowNull: false },
    created_at: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.bulkInsert('deployment', [{ id: newNonce(), created_at: new Date() }]);
  await qi.addColumn('task_instance', 'nonce', { type: DataTypes.CHAR(32), allowNull: true });
  await qi.addColumn('task_instance', 'given_up_at', { type: DataTypes.DATE(3), allowNull: true });
  await qi.addColumn('task_instance', 'late_outcome', { type: DataTypes.STRING(32), allowNull: true });
  // Every claim asks whether its distributor has given-up attempts left.
  await qi.addIndex('task_instance', ['distributor_id', 'given_up_at'], { name: 'task_instance_given_up' });
  // Attempts still in flight across the upgrade get a nonce too (their files carry none: when they end
  // unwatched, their result is unknown and they are retried, never taken on trust).
  const rows = await qi.sequelize.query<{ id: number }>(
    `SELECT id FROM task_instance WHERE status IN (${ACTIVE.map((status) => `'${status}'`).join(',')})`,
    { type: QueryTypes.SELECT },
  );
  for (const row of rows)
    await qi.sequelize.query('UPDATE task_instance SET nonce = ? WHERE id = ?', {
      replacements: [newNonce(), row.id],
    });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeIndex('task_instance', 'task_instance_given_up');
  await qi.removeColumn('task_instance', 'late_outcome');
  await qi.removeColumn('task_instance', 'given_up_at');
  await qi.removeColumn('task_instance', 'nonce');
  await qi.dropTable('deployment');
}
