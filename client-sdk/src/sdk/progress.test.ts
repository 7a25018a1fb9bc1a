import { PassThrough } from 'node:stream';
import type { StatusCounts, WorkflowProgressEvent } from './client';
import { progressBar, summarizeCounts } from './progress';

type Status = Exclude<keyof StatusCounts, 'total' | 'retrying' | 'byStatus'>;

/** Counts as the server sends them; `retryingIn` gives the retrying tasks per status (all of ERROR_RECOVERABLE's). */
const counts = (
  values: Partial<Record<Status | 'total', number>>,
  retryingIn: Partial<Record<Status, number>> = {},
): StatusCounts => {
  const all = {
    total: 0,
    REGISTERING: 0,
    QUEUED: 0,
    INSTANTIATING: 0,
    LAUNCHED: 0,
    RUNNING: 0,
    DONE: 0,
    ERROR_RECOVERABLE: 0,
    ADJUSTING_RESOURCES: 0,
    ERROR_FATAL: 0,
    ...values,
  };
  const retrying = {
    ERROR_RECOVERABLE: all.ERROR_RECOVERABLE,
    ADJUSTING_RESOURCES: all.ADJUSTING_RESOURCES,
    ...retryingIn,
  };
  const byStatus = Object.entries(retrying).map(([status, n]) => ({ status: status as Status, retrying: n }));
  return { ...all, retrying: byStatus.reduce((sum, entry) => sum + entry.retrying, 0), byStatus };
};

const event = (
  status: WorkflowProgressEvent['status'],
  values: Partial<Record<Status | 'total', number>>,
  retryingIn: Partial<Record<Status, number>> = {},
): WorkflowProgressEvent => ({
  workflowId: '7',
  status,
  counts: counts(values, retryingIn),
  final: ['DONE', 'FAILED', 'HALTED'].includes(status),
  source: 'subscription',
});

/** A stream that records what is written, posing as a terminal or not. */
function recorder(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 120 });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('progressBar', () => {
  it('writes one plain line per change when the stream is not a terminal', () => {
    const out = recorder(false);
    const bar = progressBar({ stream: out.stream });
    bar.onProgress(event('RUNNING', { total: 4, QUEUED: 2, RUNNING: 2 }));
    bar.onProgress(event('RUNNING', { total: 4, QUEUED: 2, RUNNING: 2 })); // unchanged: no line
    bar.onProgress(event('RUNNING', { total: 4, DONE: 3, ERROR_RECOVERABLE: 1 }));
    bar.onProgress(event('FAILED', { total: 4, DONE: 3, ERROR_FATAL: 1 }));
    bar.onProgress(event('RUNNING', { total: 4, DONE: 4 })); // after the final event: ignored
    expect(out.text()).toBe(
      [
        'workflow 7: RUNNING 0/4 done, 2 running, 2 waiting, 0 failed',
        'workflow 7: RUNNING 3/4 done, 0 running, 0 waiting, 1 retrying, 0 failed',
        'workflow 7: FAILED 3/4 done, 0 running, 0 waiting, 1 failed',
        '',
      ].join('\n'),
    );
  });

  it('draws a bar in place on a terminal and leaves it at 100% when done', () => {
    const out = recorder(true);
    const bar = progressBar({ stream: out.stream, color: false, label: 'sweep' });
    bar.onProgress(event('RUNNING', { total: 10, DONE: 5, RUNNING: 5 }));
    bar.onProgress(event('DONE', { total: 10, DONE: 10 }));
    bar.stop(); // a second stop is harmless
    const text = out.text();
    expect(text).toContain('sweep RUNNING');
    expect(text).toContain('50% | 5/10 done, 5 running');
    expect(text).toContain('sweep DONE');
    expect(text).toContain('100% | 10/10 done, 0 running, 0 waiting, 0 failed');
    expect(text).toContain('\u001b['); // cursor control: redrawn in place
  });

  it('groups the counts the way people read them', () => {
    expect(
      summarizeCounts(
        counts({
          total: 9,
          REGISTERING: 1,
          QUEUED: 1,
          INSTANTIATING: 1,
          LAUNCHED: 1,
          RUNNING: 1,
          DONE: 1,
          ERROR_RECOVERABLE: 1,
          ADJUSTING_RESOURCES: 1,
          ERROR_FATAL: 1,
        }),
      ),
    ).toEqual({ total: 9, done: 1, running: 1, submitted: 2, waiting: 2, retrying: 2, failed: 1 });
  });

  it('counts a task on its second attempt as retrying, not as running, submitted or waiting', () => {
    const summary = summarizeCounts(
      counts(
        { total: 10, QUEUED: 3, LAUNCHED: 2, RUNNING: 4, DONE: 1 },
        { QUEUED: 1, LAUNCHED: 1, RUNNING: 3 },
      ),
    );
    expect(summary).toEqual({
      total: 10,
      done: 1,
      running: 1,
      submitted: 1,
      waiting: 2,
      retrying: 5,
      failed: 0,
    });
    const out = recorder(false);
    progressBar({ stream: out.stream }).onProgress(
      event('RUNNING', { total: 2, RUNNING: 2 }, { RUNNING: 1 }),
    );
    expect(out.text()).toBe('workflow 7: RUNNING 0/2 done, 1 running, 0 waiting, 1 retrying, 0 failed\n');
  });
});
