import { act } from '@testing-library/react';
import type { MockLink, MockSubscriptionLink } from '@apollo/client/testing';

// Live pages in component tests: status changes pushed through the subscription link, and query mocks
// that count how often the page asked again.

export interface TaskStatusChange {
  /** The AuditEvent id. */
  id: string;
  taskId: string;
  toStatus: string;
  fromStatus?: string;
  workflowId?: string;
}

/** A taskStatusChanged result as the subscription link delivers it (workflow 7, from RUNNING, unless said). */
export function taskStatusChangedResult({
  id,
  taskId,
  toStatus,
  fromStatus = 'RUNNING',
  workflowId = '7',
}: TaskStatusChange) {
  return {
    result: {
      data: {
        taskStatusChanged: {
          __typename: 'AuditEvent',
          id,
          at: '2026-11-26T10:03:00.000Z',
          entityType: 'TASK',
          entityId: taskId,
          workflowId,
          fromStatus,
          toStatus,
          reason: null,
          actor: null,
        },
      },
    },
  };
}

/** Pushes one taskStatusChanged event. */
export function pushTaskStatusChange(subscriptions: MockSubscriptionLink, change: TaskStatusChange): void {
  act(() => subscriptions.simulateResult(taskStatusChangedResult(change)));
}

/**
 * A query mock answering every request, the n-th with `results[n]` (the last one again after that), with
 * the number of requests so far in `requests`.
 */
export function repeatedMock(
  request: MockLink.MockedResponse['request'],
  results: Record<string, unknown>[],
): { mock: MockLink.MockedResponse; requests: () => number } {
  let requests = 0;
  return {
    mock: {
      request,
      maxUsageCount: Number.POSITIVE_INFINITY,
      result: () => ({ data: results[Math.min(requests++, results.length - 1)] }),
    },
    requests: () => requests,
  };
}

/**
 * What the page shows after each change to its DOM (`read`), consecutive repeats dropped: a refetch that
 * keeps the page on screen reads e.g. ['busy 40', 'idle 40,1'], never a loading state in between.
 */
export function recordStates(container: HTMLElement, read: () => string): { states: string[]; stop(): void } {
  const states: string[] = [];
  const observer = new MutationObserver(() => {
    const state = read();
    if (states.at(-1) !== state) states.push(state);
  });
  observer.observe(container, { subtree: true, childList: true, attributes: true, characterData: true });
  return { states, stop: () => observer.disconnect() };
}
