import { useEffect, useRef } from 'react';
import { useSubscription } from '@apollo/client/react';
import { TaskStatusChangedDocument, type TaskStatus } from '../generated/graphql';

/** A task's latest status and the AuditEvent that set it. */
export interface TaskStatusChange {
  status: TaskStatus;
  eventId: number;
}

/**
 * Follows taskStatusChanged for a workflow from the AuditEvent id `since` (nothing is followed while it is
 * undefined) and hands the changes over in batches, folded by task (the latest status wins), on an
 * animation frame at most every `minIntervalMs`: a hundred changes a second cost a few React updates, not
 * a hundred. The component does not re-render per event (ignoreResults). Large graphs ask for a longer
 * interval: each update makes React Flow walk all of its nodes and edges.
 */
export function useTaskStatusStream(
  workflowId: string,
  since: string | undefined,
  onChanges: (changes: ReadonlyMap<string, TaskStatusChange>) => void,
  minIntervalMs = 0,
): void {
  const buffer = useRef(new Map<string, TaskStatusChange>());
  const pending = useRef<{ timer?: ReturnType<typeof setTimeout>; frame?: number } | null>(null);
  const lastFlush = useRef(0);
  const latest = useRef(onChanges);
  latest.current = onChanges;
  useEffect(
    () => () => {
      if (pending.current?.timer !== undefined) clearTimeout(pending.current.timer);
      if (pending.current?.frame !== undefined) cancelAnimationFrame(pending.current.frame);
    },
    [],
  );

  const flush = () => {
    pending.current = null;
    lastFlush.current = performance.now();
    const changes = buffer.current;
    buffer.current = new Map();
    latest.current(changes);
  };
  const schedule = () => {
    if (pending.current) return;
    const wait = lastFlush.current + minIntervalMs - performance.now();
    const scheduled: { timer?: ReturnType<typeof setTimeout>; frame?: number } = {};
    pending.current = scheduled;
    if (wait <= 0) scheduled.frame = requestAnimationFrame(flush);
    else scheduled.timer = setTimeout(() => (scheduled.frame = requestAnimationFrame(flush)), wait);
  };

  useSubscription(TaskStatusChangedDocument, {
    // Events are handled in onData, not kept in the cache (each would be normalised and broadcast).
    fetchPolicy: 'no-cache',
    variables: { workflowId, since },
    skip: since === undefined,
    ignoreResults: true,
    onData: ({ data }) => {
      const event = data.data?.taskStatusChanged;
      if (!event) return;
      buffer.current.set(event.entityId, { status: event.toStatus as TaskStatus, eventId: Number(event.id) });
      schedule();
    },
  });
}
