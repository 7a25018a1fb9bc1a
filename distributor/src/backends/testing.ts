import type { BackendEvents, ClaimedInstance, FinishedReport, JobRef, RunningReport } from '../backend';

// Test helpers shared by the backends' tests and the conformance suite (not used at run time).

let nextInstanceId = 1000;

/** A claimed instance as the server hands it out, with a fresh id and nonce. */
export function claimedInstance(
  command: string,
  resources: Partial<ClaimedInstance['resources']> = {},
  more: Partial<ClaimedInstance> = {},
): ClaimedInstance {
  const id = String(nextInstanceId++);
  return {
    id,
    taskId: id,
    workflowId: '1',
    workflowRunId: '1',
    attempt: 1,
    name: `task-${id}`,
    command,
    templateName: 't',
    concurrencyLimit: null,
    nonce: `nonce-${id}-${process.pid}`,
    status: 'INSTANTIATED',
    backendJobId: null,
    reportToken: null,
    resources: { memoryMb: null, cores: null, runtimeSeconds: null, queue: null, extra: null, ...resources },
    ...more,
  };
}

/** The `JobRef` of an instance (status, cancel). */
export const jobRef = (instance: ClaimedInstance, backendJobId: string | null = null): JobRef => ({
  id: instance.id,
  workflowId: instance.workflowId,
  backendJobId,
  nonce: instance.nonce,
});

/** Records what a backend reports, and waits for it. */
export class EventRecorder implements BackendEvents {
  readonly runningReports: RunningReport[] = [];
  readonly finishedReports = new Map<string, FinishedReport>();
  private waiters: (() => void)[] = [];

  running(report: RunningReport): void {
    this.runningReports.push(report);
  }

  finished(report: FinishedReport): void {
    this.finishedReports.set(report.id, report);
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Waits until `count` instances have finished. */
  async waitFor(count: number, timeoutMs = 20_000): Promise<void> {
    await this.waitUntilFinished(() => this.finishedReports.size >= count, timeoutMs, `${count} finished`);
  }

  /** Waits until these instances have finished; returns their reports in the same order. */
  async waitForIds(ids: readonly string[], timeoutMs = 20_000): Promise<FinishedReport[]> {
    await this.waitUntilFinished(
      () => ids.every((id) => this.finishedReports.has(id)),
      timeoutMs,
      `the ends of ${ids.join(', ')}`,
    );
    return ids.map((id) => this.finishedReports.get(id)!);
  }

  private async waitUntilFinished(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what} (${this.finishedReports.size} finished)`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        // Also wake now and then: the deadline must be checked even when nothing is reported.
        setTimeout(resolve, 100);
      });
    }
  }
}

/** Waits until `condition` holds, checking every few milliseconds. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs = 5_000,
  what = 'a condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
