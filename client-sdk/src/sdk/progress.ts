import type { SingleBar } from 'cli-progress';
import { createColors } from 'picocolors';
import type { StatusCounts, WorkflowProgressEvent } from './client';
import { cliProgress } from './on-first-use';

// A terminal progress display for a followed workflow, for `jobmon submit --wait` and for SDK users:
// `workflow.run({ onProgress: progressBar().onProgress })`. On a terminal the bar is redrawn in place;
// otherwise (a pipe, a CI log) it writes one plain line whenever the counts change.

/** The counts grouped the way people read them. */
export interface ProgressSummary {
  total: number;
  done: number;
  /** Running: their commands have started. */
  running: number;
  /**
   * Claimed by a distributor or handed to its backend, not started yet (waiting in Slurm's queue, or in
   * a local distributor for a free slot): never counted as running, whatever the prefetch.
   */
  submitted: number;
  /** Waiting on upstream tasks or for a slot. */
  waiting: number;
  /**
   * On a retry: an earlier attempt failed and the task is not finished, whether it waits to be retried
   * (possibly with more resources), is queued again or runs again. Counted here only, not as running,
   * submitted or waiting: the groups split the tasks, each counted once.
   */
  retrying: number;
  /** Failed for good. */
  failed: number;
}

export function summarizeCounts(counts: StatusCounts): ProgressSummary {
  const retryingIn = (status: keyof StatusCounts) =>
    counts.byStatus.find((entry) => entry.status === status)?.retrying ?? 0;
  const notRetrying = (status: 'REGISTERING' | 'QUEUED' | 'INSTANTIATING' | 'LAUNCHED' | 'RUNNING') =>
    counts[status] - retryingIn(status);
  return {
    total: counts.total,
    done: counts.DONE,
    running: notRetrying('RUNNING'),
    submitted: notRetrying('INSTANTIATING') + notRetrying('LAUNCHED'),
    waiting: notRetrying('REGISTERING') + notRetrying('QUEUED'),
    retrying: counts.retrying,
    failed: counts.ERROR_FATAL,
  };
}

/** `12/30 done, 2 running, 4 submitted, 10 waiting, 0 failed` (submitted and retrying only when some are). */
export function describeSummary(s: ProgressSummary, red: (text: string) => string = String): string {
  const parts = [`${s.done}/${s.total} done`, `${s.running} running`];
  if (s.submitted) parts.push(`${s.submitted} submitted`);
  parts.push(`${s.waiting} waiting`);
  if (s.retrying) parts.push(`${s.retrying} retrying`);
  parts.push(s.failed ? red(`${s.failed} failed`) : '0 failed');
  return parts.join(', ');
}

export interface ProgressBarOptions {
  /** Where to draw (default process.stderr, so that stdout stays clean for results). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Redraw in place (default: when the stream is a terminal). */
  tty?: boolean;
  /** Colour the status (default: on a terminal unless NO_COLOR is set). */
  color?: boolean;
  /** Printed before the bar (default `workflow <id>`). */
  label?: string;
}

export interface ProgressBar {
  /** Pass as `onProgress` to run(), resume() or followWorkflow(). */
  readonly onProgress: (event: WorkflowProgressEvent) => void;
  /** Ends the display (done by itself at the final event; safe to call twice). */
  stop(): void;
}

/** A progress display of a followed workflow; see ProgressBarOptions. */
export function progressBar(options: ProgressBarOptions = {}): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean(stream.isTTY);
  const colors = createColors(options.color ?? (tty && !process.env.NO_COLOR));
  const paint: Record<string, (text: string) => string> = {
    DONE: colors.green,
    FAILED: colors.red,
    HALTED: colors.yellow,
    RUNNING: colors.cyan,
  };
  const describe = (event: WorkflowProgressEvent) => {
    const s = summarizeCounts(event.counts);
    return {
      summary: s,
      text: describeSummary(s, colors.red),
      status: (paint[event.status] ?? String)(event.status),
    };
  };

  let bar: SingleBar | undefined;
  let lastLine = '';
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    bar?.stop();
  };
  const onProgress = (event: WorkflowProgressEvent) => {
    if (stopped) return;
    const label = options.label ?? `workflow ${event.workflowId}`;
    const { summary, text, status } = describe(event);
    if (tty) {
      const payload = { label, status, text };
      if (!bar) {
        const { Presets, SingleBar } = cliProgress();
        bar = new SingleBar(
          {
            stream: stream as NodeJS.WritableStream,
            format: '{label} {status} [{bar}] {percentage}% | {text}',
            hideCursor: true,
            barsize: 30,
            // Redraw on every update: events are already throttled by the server (a few per second).
            fps: 10,
          },
          Presets.shades_classic,
        );
        bar.start(Math.max(1, summary.total), summary.done, payload);
      } else {
        bar.setTotal(Math.max(1, summary.total));
        bar.update(summary.done, payload);
      }
    } else {
      const line = `${label}: ${event.status} ${text}`;
      if (line !== lastLine) stream.write(`${line}\n`);
      lastLine = line;
    }
    if (event.final) stop();
  };
  return { onProgress, stop };
}
