import { ErrorCode } from '@jobmon/core';
import { GraphQLError } from 'graphql';

// Caps on what one client may hold open on graphql-ws: every subscription keeps a stream, a buffer and a
// catch-up read alive, so 20,000 on one socket stalled the server. Per socket always; per user when the
// connection has one (with authentication on; the open mode has no users to count by).

export interface SubscriptionLimits {
  /** Operations in flight on one socket (JOBMON_MAX_SUBSCRIPTIONS_PER_SOCKET). */
  perSocket: number;
  /** Operations in flight on all the sockets of one user (JOBMON_MAX_SUBSCRIPTIONS_PER_USER). */
  perUser: number;
  /** Open sockets of one user (JOBMON_MAX_SOCKETS_PER_USER). */
  socketsPerUser: number;
}

/** graphql-ws closes a connection over the per-user socket limit with this code (the client does not retry). */
export const TOO_MANY_SOCKETS_CLOSE_CODE = 4429;

/** Which limit a new subscription would pass, given what is open now (the new one included); null: none. */
export function subscriptionRefusal(
  open: { onSocket: number; ofUser: number | null },
  limits: SubscriptionLimits,
): GraphQLError | null {
  const over = (what: string, limit: number) =>
    new GraphQLError(`Too many subscriptions ${what}: the limit is ${limit}; complete some first`, {
      extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS, limit },
    });
  if (open.onSocket > limits.perSocket) return over('on this connection', limits.perSocket);
  if (open.ofUser !== null && open.ofUser > limits.perUser) return over('for this user', limits.perUser);
  return null;
}

/** The sockets of each user, to count their sockets and the subscriptions open on all of them. */
export class UserSockets<Socket> {
  private readonly byUser = new Map<string, Set<Socket>>();

  /** Adds `socket` to `user`'s unless that passes `max`: then false, and nothing is added. */
  add(user: string, socket: Socket, max: number): boolean {
    let sockets = this.byUser.get(user);
    if (!sockets) this.byUser.set(user, (sockets = new Set()));
    if (sockets.size >= max) return false;
    sockets.add(socket);
    return true;
  }

  remove(user: string, socket: Socket): void {
    const sockets = this.byUser.get(user);
    if (!sockets) return;
    sockets.delete(socket);
    if (sockets.size === 0) this.byUser.delete(user);
  }

  of(user: string): ReadonlySet<Socket> {
    return this.byUser.get(user) ?? new Set();
  }
}
