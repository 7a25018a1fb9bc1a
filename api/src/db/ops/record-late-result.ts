import type { Transaction } from 'sequelize';
import type { Database } from '../connection';

/** What a given-up attempt did after all. */
export interface LateResult {
  id: number;
  outcome: string;
  exitCode: number | null;
  stdoutTail: string | null;
  stderrTail: string | null;
  maxRssMb: number | null;
  wallSeconds: number | null;
  cpuSeconds: number | null;
}

/**
 * Keeps a given-up attempt's late result without changing its status (values already stored win), and
 * clears its given-up mark: its command is known to have ended.
 */
export async function recordLateResult(
  db: Database,
  transaction: Transaction,
  result: LateResult,
): Promise<void> {
  await db.execute(
    `UPDATE task_instance SET given_up_at = NULL, late_outcome = ?, exit_code = COALESCE(exit_code, ?),
        stdout_tail = COALESCE(stdout_tail, ?), stderr_tail = COALESCE(stderr_tail, ?),
        max_rss_mb = COALESCE(max_rss_mb, ?), wall_seconds = COALESCE(wall_seconds, ?),
        cpu_seconds = COALESCE(cpu_seconds, ?) WHERE id = ?`,
    [
      result.outcome,
      result.exitCode,
      result.stdoutTail,
      result.stderrTail,
      result.maxRssMb,
      result.wallSeconds,
      result.cpuSeconds,
      result.id,
    ],
    transaction,
  );
}
