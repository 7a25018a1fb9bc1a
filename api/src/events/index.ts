export { EventHub, type EventHubOptions } from './hub';
export type { AuditEventFilter, AuditEventRecord } from './audit-log';
export type { EventBus, BusMessage } from './bus';
export { InProcessEventBus } from './bus';
export { RedisEventBus } from './redis-bus';
export { SubscriberTooSlowError, SUBSCRIBER_TOO_SLOW } from './errors';
export type { WorkflowProgressSnapshot } from './progress';
export { WorkQueuedReason, type WorkQueuedSignal } from './work-queued';
