import { Transaction } from 'sequelize';
import type { Database } from '../db';
import type { EntityType } from '../domain';

// Reads of the audit log for the event stream. Ids are integers the server produced, inlined as literals,
// so these statements go straight to the driver (selectDirect) like the other hot reads.

/** One committed status change, as subscribers receive it (the GraphQL AuditEvent has these fields). */
export interface AuditEventRecord {
  id: number;
  at: Date;
  entityType: EntityType;
  entityId: number;
  workflowId: number | null;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  actor: string | null;
}

/** Which events a subscriber wants: one entity type, of one workflow or (null) of every workflow. */
export interface AuditEventFilter {
  entityType: EntityType;
  workflowId: number | null;
}

const COLUMNS = 'id, at, entity_type, entity_id, workflow_id, from_status, to_status, reason, actor';

function toRecord(row: Record<string, unknown>): AuditEventRecord {
  const at = row.at;
  return {
    id: Number(row.id),
    // SQLite keeps '2024-01-02 03:04:05.678 +00:00'; mysql2 gives a Date.
    at: at instanceof Date ? at : new Date(String(at).includes('+') ? String(at) : `${String(at)}+00:00`),
    entityType: row.entity_type as EntityType,
    entityId: Number(row.entity_id),
    workflowId: row.workflow_id === null || row.workflow_id === undefined ? null : Number(row.workflow_id),
    fromStatus: (row.from_status as string | null) ?? null,
    toStatus: row.to_status as string,
    reason: (row.reason as string | null) ?? null,
    actor: (row.actor as string | null) ?? null,
  };
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`Not an integer: ${value}`);
  return String(value);
}

/** The highest audit id committed so far (0 for an empty log); `background` for the tailer's reads. */
export async function maxAuditEventId(db: Database, options = { background: true }): Promise<number> {
  const rows = await db.selectDirect('SELECT MAX(id) AS id FROM audit_event', options);
  return Number(rows[0]?.id ?? 0);
}

/** The newest audit id of one workflow (null when it has none): a `since` for its subscriptions. */
export async function lastAuditEventIdOfWorkflow(db: Database, workflowId: number): Promise<number | null> {
  const rows = await db.selectDirect(
    `SELECT MAX(id) AS id FROM audit_event WHERE workflow_id = ${integer(workflowId)}`,
  );
  const id = rows[0]?.id;
  return id === null || id === undefined ? null : Number(id);
}

/** Committed events with ids above `afterId`, in id order. */
export async function readAuditEventsAfter(
  db: Database,
  afterId: number,
  limit: number,
): Promise<AuditEventRecord[]> {
  const rows = await db.selectDirect(
    `SELECT ${COLUMNS} FROM audit_event WHERE id > ${integer(afterId)} ORDER BY id LIMIT ${integer(limit)}`,
    { background: true },
  );
  return rows.map(toRecord);
}

/** Events matching `filter` with afterId < id <= throughId, in id order (a subscriber's catch-up). */
export async function readMatchingAuditEvents(
  db: Database,
  filter: AuditEventFilter,
  afterId: number,
  throughId: number,
  limit: number,
): Promise<AuditEventRecord[]> {
  const workflow = filter.workflowId === null ? '' : ` AND workflow_id = ${integer(filter.workflowId)}`;
  const rows = await db.selectDirect(
    `SELECT ${COLUMNS} FROM audit_event WHERE entity_type = ${db.literal(filter.entityType)}${workflow}` +
      ` AND id > ${integer(afterId)} AND id <= ${integer(throughId)} ORDER BY id LIMIT ${integer(limit)}`,
  );
  return rows.map(toRecord);
}

/** An inclusive range of audit ids. */
export interface IdRange {
  first: number;
  last: number;
}

const LOCK_WAIT_TIMEOUT_CODES = new Set(['ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_DEADLOCK']);

/**
 * MySQL: waits until no transaction still holds an uncommitted audit row with an id in `ranges`, for at
 * most about `timeoutSeconds`. InnoDB keeps an implicit lock on every row inserted by a transaction that
 * has not ended, so a locking read of those ids waits exactly for the transactions that inserted them
 * (and returns at once for ids whose insert was rolled back). Returns false when it timed out.
 */
export async function waitForAuditWriters(
  db: Database,
  ranges: readonly IdRange[],
  timeoutSeconds: number,
): Promise<boolean> {
  if (db.dialect !== 'mysql' || ranges.length === 0) return true;
  const where = ranges
    .map((range) => `id BETWEEN ${integer(range.first)} AND ${integer(range.last)}`)
    .join(' OR ');
  try {
    await db.sequelize.transaction(
      { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED },
      async (transaction) => {
        // Session-scoped on a pooled connection: set for this statement only, then put back.
        await db.execute(
          `SET SESSION innodb_lock_wait_timeout = ${integer(timeoutSeconds)}`,
          [],
          transaction,
        );
        try {
          await db.select(`SELECT id FROM audit_event WHERE ${where} LOCK IN SHARE MODE`, [], transaction);
        } finally {
          await db.execute('SET SESSION innodb_lock_wait_timeout = DEFAULT', [], transaction);
        }
      },
    );
    return true;
  } catch (error) {
    const code = (error as { parent?: { code?: string } }).parent?.code;
    if (code !== undefined && LOCK_WAIT_TIMEOUT_CODES.has(code)) return false;
    throw error;
  }
}
