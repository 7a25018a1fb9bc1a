import { ErrorCode } from '@jobmon/core';
import type { ClaimedInstance } from './backend';
import { GraphQLRequestError, backoffMs, type GraphQLTransport } from './client';
import {
  ReportDocument,
  type ReportMutation,
  type ReportOutcomeFragment,
  type TaskInstanceFinishedInput,
  type TaskInstanceLaunchInput,
  type TaskInstanceRunningInput,
} from './generated/graphql';
import type { Logger } from './logger';

/** Largest number of reports of one kind in one request (the server takes up to 5000). */
const MAX_BATCH = 2000;
/** An INTERNAL_SERVER_ERROR may be a passing failure or a report the server cannot take: retry this often. */
const INTERNAL_ERROR_RETRIES = 5;

/** The errorKind of an attempt whose own finished report the server refused. */
export const REPORT_REFUSED = 'REPORT_REFUSED';

/**
 * What is reported instead of a finished report the server refused: the attempt ends as an ERROR that
 * says why (and is retried if it has attempts left), with none of the refused report's fields but its exit
 * code, so that nothing in it can be refused again.
 */
export function refusedReport(
  report: TaskInstanceFinishedInput,
  failure: { message: string; codes: readonly string[] },
): TaskInstanceFinishedInput {
  const code = failure.codes.join(', ') || 'no code';
  return {
    id: report.id,
    outcome: 'ERROR',
    errorKind: REPORT_REFUSED,
    errorMessage:
      `the server refused this attempt's ${report.outcome} report (${code}): ${failure.message}`.slice(
        0,
        2000,
      ),
    exitCode: report.exitCode ?? null,
  };
}

export interface ReporterHooks {
  distributorId(): string;
  /** How many instances to claim now (called when a request is built). */
  claimLimit(): number;
  /** Work claimed by a request (in the same transaction as its finished reports, or by itself). */
  onClaimed(instances: ClaimedInstance[]): void;
  /** Instances among those reported that the server wants killed. */
  onKill(ids: string[]): void;
  /** Finished reports the server has taken (applied, or ignored as repeated or late): no longer ours. */
  onDelivered(ids: string[]): void;
  /**
   * Whether finished reports should go at once, for the work their claim brings (a slot is idle, or
   * about to be); otherwise they may wait up to `finishedMs` for others (default: always at once).
   */
  urgent?(): boolean;
}

type Batch = {
  launches: TaskInstanceLaunchInput[];
  running: TaskInstanceRunningInput[];
  finished: TaskInstanceFinishedInput[];
};

const size = (batch: Batch) => batch.launches.length + batch.running.length + batch.finished.length;

function take<T>(map: Map<string, T>, limit = MAX_BATCH): T[] {
  const out: T[] = [];
  for (const [key, value] of map) {
    if (out.length >= limit) break;
    out.push(value);
    map.delete(key);
  }
  return out;
}

/** Puts reports back in front of those queued since (a newer report of the same instance wins). */
function putBack<T extends { id: string }>(map: Map<string, T>, items: readonly T[]): Map<string, T> {
  if (items.length === 0) return map;
  const merged = new Map<string, T>();
  for (const item of items) if (!map.has(item.id)) merged.set(item.id, item);
  for (const [key, value] of map) merged.set(key, value);
  return merged;
}

/**
 * Reports that wait a moment before they go, in arrival order, each with the time it was queued: a later
 * report of the same instance may make them unnecessary (a launch) or go with them in one request (a
 * start that ends soon after).
 */
class HeldReports<T extends { id: string }> {
  private reports = new Map<string, T>();
  private readonly queuedAt = new Map<string, number>();

  constructor(private readonly delayMs: number) {}

  get size(): number {
    return this.reports.size;
  }

  add(report: T): void {
    this.reports.set(report.id, report);
    this.queuedAt.set(report.id, Date.now());
  }

  delete(id: string): void {
    this.reports.delete(id);
    this.queuedAt.delete(id);
  }

  /** When the oldest is due (ms since the epoch; undefined when none waits). */
  nextDue(): number | undefined {
    const oldest = this.queuedAt.values().next().value;
    return oldest === undefined ? undefined : oldest + this.delayMs;
  }

  /** Takes the report of `id` out, if one is held. */
  take(id: string): T | undefined {
    const report = this.reports.get(id);
    this.delete(id);
    return report;
  }

  /** Takes those due (all when `all`). */
  takeDue(all: boolean): T[] {
    const out: T[] = [];
    const cutoff = all ? Infinity : Date.now() - this.delayMs;
    for (const [id, report] of this.reports) {
      if (out.length >= MAX_BATCH || (this.queuedAt.get(id) ?? 0) > cutoff) continue;
      out.push(report);
      this.delete(id);
    }
    return out;
  }

  /** Puts reports of a failed request back, due at once, in front (a newer report of an instance wins). */
  putBack(items: readonly T[]): void {
    if (items.length === 0) return;
    const reports = this.reports;
    const queuedAt = new Map(this.queuedAt);
    this.reports = new Map();
    this.queuedAt.clear();
    for (const item of items)
      if (!reports.has(item.id)) {
        this.reports.set(item.id, item);
        this.queuedAt.set(item.id, 0);
      }
    for (const [id, report] of reports) {
      this.reports.set(id, report);
      this.queuedAt.set(id, queuedAt.get(id) ?? 0);
    }
  }
}

/**
 * Sends a distributor's reports in batches, through one request at a time: whatever is queued while a
 * request is in flight goes in the next one (few requests under load), and a report queued while idle
 * goes at once (low latency for a chain of short tasks) — but for launch and running reports, which wait
 * a moment for the next report of their instance (see `launched` and `runningReport`), so that a short
 * command costs one request, not three. One `Report` request carries the launches,
 * running and finished reports, and claims more work: with the finished reports (same transaction on
 * the server) or by itself. Claims only happen here, one request at a time, so the claim limit is never
 * counted twice.
 *
 * Nothing is lost when the server is away: a request that fails to arrive (or meets a 5xx, a
 * SERVICE_UNAVAILABLE) is sent again, with backoff, for as long as it takes. A batch the server refuses
 * as a whole (a bad request, not a passing failure) is sent again one report at a time, so that one bad
 * report cannot hold back the others. A finished report refused on its own is replaced by a short ERROR
 * report that says why (refusedReport), sent once: the attempt ends and the run goes on, and no refused
 * report is sent for ever. Other refused reports are logged and dropped (the finished one follows).
 */
export class Reporter {
  private readonly launches: HeldReports<TaskInstanceLaunchInput>;
  private readonly running: HeldReports<TaskInstanceRunningInput>;
  /** Wakes the flush when the oldest held report is due. */
  private heldTimer: NodeJS.Timeout | undefined;
  private heldTimerDue = 0;
  private draining = false;
  private finished = new Map<string, TaskInstanceFinishedInput>();
  /** When the oldest queued finished report was queued (0: due at once; undefined: none queued). */
  private finishedSince: number | undefined;
  private readonly finishedMs: number;
  /** Running reports of instances whose finished report is queued: they go with it, never alone. */
  private readonly runningOfFinished = new Map<string, TaskInstanceRunningInput>();
  private claimWanted = false;
  private claimsEnabled = true;
  private inFlight = false;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private internalErrors = 0;
  private stopped = false;
  private readonly exclusive: (() => Promise<void>)[] = [];
  private idleWaiters: (() => void)[] = [];
  /** Requests sent (for tests and benchmarks). */
  requests = 0;
  /** Reports in the request in flight. */
  private sending = 0;

  constructor(
    private readonly client: GraphQLTransport,
    private readonly hooks: ReporterHooks,
    private readonly log: Logger,
    delays: { launchMs?: number; runningMs?: number; finishedMs?: number } = {},
  ) {
    this.launches = new HeldReports(delays.launchMs ?? 250);
    this.running = new HeldReports(delays.runningMs ?? 50);
    this.finishedMs = delays.finishedMs ?? 100;
  }

  /**
   * Launch reports are not urgent (the instance waits in the backend): they wait up to `launchMs` for a
   * running or finished report of the same instance, which supersedes them (the server takes
   * INSTANTIATED → RUNNING/DONE), so a command that starts soon costs the server no LAUNCHED change.
   */
  launched(report: TaskInstanceLaunchInput): void {
    this.launches.add(report);
    this.schedule();
  }

  /**
   * A running report waits up to `runningMs` for the end of its command: a short command's RUNNING and
   * outcome then go in one request (RUNNING first: its audit chain is the same), instead of two one after
   * the other — which, with a workflow limit as small as the slots, is a round trip per command.
   */
  runningReport(report: TaskInstanceRunningInput): void {
    this.launches.delete(report.id);
    this.running.add(report);
    this.schedule();
  }

  /**
   * Sent with (after) a running report of the same instance still queued: RUNNING, then the outcome. It
   * goes at once when `urgent` says a slot waits for work (its request claims), or with the next request
   * that goes anyway; otherwise it waits up to `finishedMs` for others, so that a busy distributor whose
   * backend holds work sends one request for many ends instead of one or two per end.
   */
  finishedReport(report: TaskInstanceFinishedInput): void {
    this.launches.delete(report.id);
    const running = this.running.take(report.id);
    if (running) this.runningOfFinished.set(report.id, running);
    if (this.finishedSince === undefined) this.finishedSince = Date.now();
    this.finished.set(report.id, report);
    this.schedule();
  }

  /** Whether a finished report of this instance waits to be sent. */
  hasFinished(id: string): boolean {
    return this.finished.has(id);
  }

  /** Asks for a claim with the next request (sent at once when idle). */
  wantClaim(): void {
    if (!this.claimsEnabled) return;
    this.claimWanted = true;
    this.schedule();
  }

  /** No more claims (stopping). */
  disableClaims(): void {
    this.claimsEnabled = false;
    this.claimWanted = false;
  }

  /** Runs `task` between two requests: no report or claim is in flight while it runs. */
  runExclusive(task: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.exclusive.push(() => task().then(resolve, reject));
      this.schedule();
    });
  }

  /** How many reports are not delivered yet (queued, or in the request in flight). */
  pending(): number {
    return (
      this.launches.size + this.running.size + this.runningOfFinished.size + this.finished.size + this.sending
    );
  }

  /** Resolves once everything queued has been delivered (or `timeoutMs` passed); false on timeout. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    if (this.isIdle()) return true;
    this.schedule();
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Stops sending (what is still queued stays queued). */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.retryTimer = undefined;
  }

  /** Whether a request would carry something now. */
  private hasSendable(): boolean {
    if (this.exclusive.length || this.finishedDue()) return true;
    if (this.claimWanted && this.claimsEnabled) return true;
    const due = this.nextHeldDue();
    return due !== undefined && (this.draining || due <= Date.now());
  }

  private nextHeldDue(): number | undefined {
    const dues = [
      this.launches.nextDue(),
      this.running.nextDue(),
      this.finishedSince === undefined ? undefined : this.finishedSince + this.finishedMs,
    ].filter((due) => due !== undefined);
    return dues.length ? Math.min(...dues) : undefined;
  }

  /** Whether the queued finished reports should go now (none queued: false). */
  private finishedDue(): boolean {
    if (this.finishedSince === undefined) return false;
    return (
      this.draining || this.finishedSince + this.finishedMs <= Date.now() || (this.hooks.urgent?.() ?? true)
    );
  }

  /** Sends the held launch and running reports when the oldest is due. */
  private scheduleHeld(): void {
    const due = this.nextHeldDue();
    if (due === undefined || this.stopped) return;
    // A timer for a later report (a launch) is brought forward for an earlier one (a finished report).
    if (this.heldTimer && this.heldTimerDue <= due) return;
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimerDue = due;
    this.heldTimer = setTimeout(
      () => {
        this.heldTimer = undefined;
        this.schedule();
      },
      Math.max(0, due - Date.now()) + 1,
    );
    this.heldTimer.unref();
  }

  private isIdle(): boolean {
    return (
      !this.inFlight &&
      !this.scheduled &&
      !this.retryTimer &&
      this.pending() === 0 &&
      this.exclusive.length === 0
    );
  }

  private schedule(): void {
    if (this.stopped || this.inFlight || this.scheduled || this.retryTimer) return;
    this.scheduled = true;
    // setImmediate: reports queued in the same turn of the event loop go together.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.stopped) return;
    this.inFlight = true;
    try {
      for (;;) {
        while (this.exclusive.length && !this.stopped) {
          const task = this.exclusive.shift()!;
          try {
            await task();
          } catch (error) {
            this.log.warn({ err: error }, 'a reconciliation with the server failed');
          }
        }
        if (this.stopped) return;
        const launches = this.launches.takeDue(this.draining);
        const running = this.running.takeDue(this.draining);
        // Held finished reports go with any request that goes anyway.
        const withFinished =
          this.finishedDue() ||
          (this.finished.size > 0 &&
            (launches.length > 0 || running.length > 0 || (this.claimWanted && this.claimsEnabled)));
        const finished = withFinished ? take(this.finished) : [];
        if (withFinished) this.finishedSince = this.finished.size ? 0 : undefined;
        for (const report of finished) {
          const start = this.runningOfFinished.get(report.id);
          if (!start) continue;
          this.runningOfFinished.delete(report.id);
          running.push(start);
        }
        const batch: Batch = { launches, running, finished };
        const claimLimit =
          this.claimsEnabled && (this.claimWanted || batch.finished.length) ? this.hooks.claimLimit() : 0;
        if (size(batch) === 0 && claimLimit <= 0) {
          this.claimWanted = false;
          this.scheduleHeld();
          return;
        }
        const delivered = await this.send(batch, claimLimit);
        if (!delivered) return; // a retry is scheduled
      }
    } finally {
      this.inFlight = false;
      if (this.isIdle()) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const waiter of waiters) waiter();
      } else if (!this.retryTimer) {
        if (this.hasSendable()) this.schedule();
        else this.scheduleHeld();
      }
    }
  }

  /** Sends one batch; false when it has to be sent again later (it is queued again and a retry scheduled). */
  private async send(batch: Batch, claimLimit: number): Promise<boolean> {
    const withFinished = batch.finished.length > 0;
    this.requests += 1;
    this.sending = size(batch);
    try {
      const data = await this.client.request(ReportDocument, {
        distributorId: this.hooks.distributorId(),
        launches: batch.launches,
        running: batch.running,
        finished: batch.finished,
        claimLimit: Math.max(0, claimLimit),
        withLaunches: batch.launches.length > 0,
        withRunning: batch.running.length > 0,
        withFinished,
        withClaim: !withFinished && claimLimit > 0,
      });
      this.failures = 0;
      this.internalErrors = 0;
      this.sending = 0;
      this.handle(data, batch, claimLimit);
      return true;
    } catch (error) {
      this.sending = 0;
      const failure = error instanceof GraphQLRequestError ? error : new GraphQLRequestError(String(error));
      const internal =
        failure.codes.includes(ErrorCode.INTERNAL_SERVER_ERROR) &&
        !failure.codes.includes(ErrorCode.SERVICE_UNAVAILABLE);
      if (internal) this.internalErrors += 1;
      const retry = failure.retryable && !(internal && this.internalErrors > INTERNAL_ERROR_RETRIES);
      if (retry) {
        this.requeue(batch);
        this.failures += 1;
        const delay = backoffMs(this.failures);
        const log = this.failures === 1 || this.failures % 20 === 0 ? this.log.warn : this.log.debug;
        log.call(
          this.log,
          { err: failure.message, failures: this.failures, retryInMs: delay, queued: this.pending() },
          'reports not delivered; sending them again',
        );
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.schedule();
        }, delay);
        return false;
      }
      this.internalErrors = 0;
      if (size(batch) > 1) {
        this.log.warn(
          { err: failure.message },
          'the server refused a batch of reports; sending them one by one',
        );
        return this.sendOneByOne(batch);
      }
      const refused = batch.finished[0];
      if (refused && refused.errorKind !== REPORT_REFUSED && !this.finished.has(refused.id)) {
        this.log.error(
          { err: failure.message, codes: failure.codes, taskInstanceId: refused.id },
          'the server refused a finished report; the attempt is reported as REPORT_REFUSED instead',
        );
        this.finished = putBack(this.finished, [refusedReport(refused, failure)]);
        this.finishedSince = 0;
        return true;
      }
      this.log.error(
        { err: failure.message, codes: failure.codes, batch },
        'the server refused a report; it is dropped',
      );
      this.hooks.onDelivered(batch.finished.map((report) => report.id));
      return true;
    }
  }

  private async sendOneByOne(batch: Batch): Promise<boolean> {
    const singles: Batch[] = [
      ...batch.launches.map((launch) => ({ launches: [launch], running: [], finished: [] })),
      ...batch.running.map((running) => ({ launches: [], running: [running], finished: [] })),
      ...batch.finished.map((finished) => ({ launches: [], running: [], finished: [finished] })),
    ];
    for (let i = 0; i < singles.length; i++) {
      if (!(await this.send(singles[i]!, 0))) {
        // Retrying later: the rest goes back in the queue too.
        for (const rest of singles.slice(i + 1)) this.requeue(rest);
        return false;
      }
    }
    return true;
  }

  private requeue(batch: Batch): void {
    this.launches.putBack(batch.launches);
    this.running.putBack(batch.running);
    this.finished = putBack(this.finished, batch.finished);
    if (batch.finished.length) this.finishedSince = 0;
  }

  private handle(data: ReportMutation, batch: Batch, claimLimit: number): void {
    const results = [data.launched, data.running, data.finished].filter(
      (result): result is ReportOutcomeFragment => result !== undefined && result !== null,
    );
    const kills = new Set<string>();
    for (const result of results) {
      for (const id of result.killInstanceIds) kills.add(id);
      for (const ignored of result.ignored)
        this.log.debug(
          { taskInstanceId: ignored.id, reason: ignored.reason },
          'report ignored by the server',
        );
    }
    if (batch.finished.length) this.hooks.onDelivered(batch.finished.map((report) => report.id));
    const claimed = data.finished?.claimed ?? data.claimed ?? [];
    if (claimLimit > 0) this.claimWanted = claimed.length >= claimLimit;
    if (claimed.length) this.hooks.onClaimed(claimed);
    if (kills.size) this.hooks.onKill([...kills]);
  }
}
