import { Kind, getOperationAST, type ExecutionArgs } from 'graphql';

/**
 * Active graphql-ws subscriptions by root field, for the `jobmon_subscriptions` gauge. graphql-ws calls
 * `started` once a subscription's stream is set up and `ended` once it completed however it ended (the
 * client's complete, the stream's end or error, the socket's close), so the counts cannot drift.
 */
export class SubscriptionCounts {
  private readonly byField = new Map<string, number>();
  private readonly live = new WeakMap<object, Map<string, string>>();

  get counts(): ReadonlyMap<string, number> {
    return this.byField;
  }

  /** A subscription `id` of connection `connection` started (only streams count, not one-off results). */
  started(connection: object, id: string, args: ExecutionArgs, result: unknown): void {
    if (typeof result !== 'object' || result === null || !(Symbol.asyncIterator in result)) return;
    const field = rootFieldOf(args) ?? 'unknown';
    let ids = this.live.get(connection);
    if (!ids) this.live.set(connection, (ids = new Map()));
    ids.set(id, field);
    this.byField.set(field, (this.byField.get(field) ?? 0) + 1);
  }

  ended(connection: object, id: string): void {
    const ids = this.live.get(connection);
    const field = ids?.get(id);
    if (field === undefined) return;
    ids!.delete(id);
    const left = (this.byField.get(field) ?? 1) - 1;
    if (left > 0) this.byField.set(field, left);
    else this.byField.delete(field);
  }
}

function rootFieldOf(args: ExecutionArgs): string | null {
  const operation = getOperationAST(args.document, args.operationName);
  const first = operation?.selectionSet.selections[0];
  return first?.kind === Kind.FIELD ? first.name.value : null;
}
