import type { Transaction } from 'sequelize';

/** Told after a transaction that wrote audit rows has committed (never for one that rolled back). */
export type AuditCommitListener = () => void;

/**
 * The commits of audit rows written through one Database (the event stream's wake-up: subscribers then read
 * the committed rows from the table). The server's composition root connects its event hub here.
 */
export class AuditCommits {
  private readonly listeners = new Set<AuditCommitListener>();
  // A per-transaction flag (dropped with the transaction), so that each gets one post-commit hook.
  private readonly hooked = new WeakSet<Transaction>();

  /** Listens for commits of audit rows. Returns the function that stops listening. */
  listen(listener: AuditCommitListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** One post-commit hook per transaction, however many audit rows it writes. */
  notifyAfterCommit(transaction: Transaction): void {
    if (this.hooked.has(transaction)) return;
    this.hooked.add(transaction);
    transaction.afterCommit(() => {
      for (const listener of this.listeners) {
        // The transaction has committed: a listener's failure must not turn the caller's success into an error.
        try {
          listener();
        } catch {
          // listeners log their own failures
        }
      }
    });
  }
}
