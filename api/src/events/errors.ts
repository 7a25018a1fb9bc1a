import { ErrorCode } from '@jobmon/core';

/** The stable `extensions.code` of a subscription ended because its consumer fell behind. */
export const SUBSCRIBER_TOO_SLOW = ErrorCode.SUBSCRIBER_TOO_SLOW;

/**
 * Ends a subscription whose client did not keep up: more than `bufferSize` events were waiting for it.
 * The client has received every event up to `lastDeliveredId` and resumes losslessly with
 * `since: lastDeliveredId`. GraphQL errors built from it carry `extensions` as they are.
 */
export class SubscriberTooSlowError extends Error {
  override readonly name = 'SubscriberTooSlowError';
  readonly extensions: { code: typeof SUBSCRIBER_TOO_SLOW; lastDeliveredId: string; bufferSize: number };

  constructor(lastDeliveredId: number, bufferSize: number) {
    super(
      `Subscriber too slow: more than ${bufferSize} events were waiting; ` +
        `resubscribe with since: "${lastDeliveredId}" to continue without a gap`,
    );
    this.extensions = { code: SUBSCRIBER_TOO_SLOW, lastDeliveredId: String(lastDeliveredId), bufferSize };
  }
}
