import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db';
import { ALL_TASK_STATUSES, ALL_WORKFLOW_STATUSES, TaskInstanceStatus, WorkflowStatus } from '../domain';
import type { AuditEventRecord } from '../events';
import { logger } from '../logger';

// Prometheus metrics of one API server (a registry per server, so that tests run several in one process).
// docs/metrics.md lists them and says how to read them.

/** Workflows whose tasks `jobmon_tasks` counts: the ones not finished (a finished one's tasks do not move). */
export const UNFINISHED_WORKFLOW_STATUSES: readonly WorkflowStatus[] = [
  WorkflowStatus.QUEUED,
  WorkflowStatus.RUNNING,
];

/** Attempts `jobmon_task_instances` counts: the live ones (the finished ones only ever grow). */
export const LIVE_TASK_INSTANCE_STATUSES: readonly TaskInstanceStatus[] = [
  TaskInstanceStatus.QUEUED,
  TaskInstanceStatus.INSTANTIATED,
  TaskInstanceStatus.LAUNCHED,
  TaskInstanceStatus.RUNNING,
  TaskInstanceStatus.KILL_SELF,
  TaskInstanceStatus.TRIAGING,
];

/** The reports whose latency `jobmon_report_duration_seconds` measures, by root mutation field. */
export const REPORT_KIND_OF_FIELD: Readonly<Record<string, string>> = {
  reportTaskInstancesLaunched: 'launched',
  reportTaskInstancesRunning: 'running',
  reportTaskInstancesFinished: 'finished',
  heartbeatTaskInstances: 'heartbeat',
  heartbeatDistributor: 'distributor_heartbeat',
};

/** Fast requests (a claim, a report) take milliseconds; a submission of 100k tasks takes many seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** From a status change's commit to its delivery: milliseconds normally, the poll interval at worst. */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

let processMetrics: Registry | null = null;

/**
 * The process metrics (CPU, memory, event loop, GC), collected once per process: they describe the
 * process, not a server, and each collector keeps an event loop monitor and a GC observer running.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics, prefix: 'jobmon_' });
  }
  return processMetrics;
}

/** A slow count is reused for this many times its duration. */
const SLOW_READ_FACTOR = 10;

export interface MetricsOptions {
  /** How long the counts read from the database are reused (several scrapers share one read). */
  countsCacheMs: number;
}

interface StatusCountsSnapshot {
  tasks: Map<string, number>;
  /** Of `tasks`, those on a retry (isTaskRetrying), by the status they are in. */
  retryingTasks: Map<string, number>;
  workflows: Map<string, number>;
  taskInstances: Map<string, number>;
}

/** What the server's hooks feed and `/metrics` reads. */
export class JobmonMetrics {
  readonly registry = new Registry();
  readonly claimedTaskInstances: Counter;
  readonly claimDuration: Histogram;
  readonly reportDuration: Histogram<'kind'>;
  readonly graphqlOperations: Counter<'type' | 'code'>;
  readonly graphqlDuration: Histogram<'type'>;
  readonly eventLag: Histogram;
  /** The last read of the counts: when it started, and how long it stays good (see `counts`). */
  private countsCache: { at: number; validMs: number; value: Promise<StatusCountsSnapshot> } | null = null;
  private subscriptionCounts: () => ReadonlyMap<string, number> = () => new Map();
  private connectionCount: () => number = () => 0;
  private readonly subscriptionFieldsSeen = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly options: MetricsOptions,
  ) {
    const registers = [this.registry];

    new Gauge({
      name: 'jobmon_tasks',
      help: 'Tasks of the workflows not finished (QUEUED or RUNNING workflows), by task status; read from the database at scrape time (cached briefly).',
      labelNames: ['status'],
      registers,
      collect: async () => this.setCounts('tasks', ALL_TASK_STATUSES),
    });
    new Gauge({
      name: 'jobmon_tasks_retrying',
      help: 'Of jobmon_tasks, the tasks on a retry (an earlier attempt failed), by the task status they are in; read from the database at scrape time (cached briefly).',
      labelNames: ['status'],
      registers,
      collect: async () => this.setCounts('tasks_retrying', ALL_TASK_STATUSES),
    });
    new Gauge({
      name: 'jobmon_workflows',
      help: 'Workflows by status (all of them); read from the database at scrape time (cached briefly).',
      labelNames: ['status'],
      registers,
      collect: async () => this.setCounts('workflows', ALL_WORKFLOW_STATUSES),
    });
    new Gauge({
      name: 'jobmon_task_instances',
      help: 'Live task instances (attempts not finished) by status; read from the database at scrape time (cached briefly).',
      labelNames: ['status'],
      registers,
      collect: async () => this.setCounts('task_instances', LIVE_TASK_INSTANCE_STATUSES),
    });
    this.claimedTaskInstances = new Counter({
      name: 'jobmon_claimed_task_instances_total',
      help: 'Task instances handed to distributors by this server (claimTaskInstances, and claims piggybacked on finished reports).',
      registers,
    });
    this.claimDuration = new Histogram({
      name: 'jobmon_claim_duration_seconds',
      help: 'Time to resolve one claimTaskInstances mutation (its transaction included), in seconds.',
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.reportDuration = new Histogram({
      name: 'jobmon_report_duration_seconds',
      help: 'Time to resolve one report mutation of distributors and workers, by kind (launched, running, finished, heartbeat of instances, distributor_heartbeat), in seconds.',
      labelNames: ['kind'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.graphqlOperations = new Counter({
      name: 'jobmon_graphql_operations_total',
      help: 'GraphQL operations over HTTP answered, by operation type (query, mutation, unknown when it did not parse) and outcome code (OK, or the first error code).',
      labelNames: ['type', 'code'],
      registers,
    });
    this.graphqlDuration = new Histogram({
      name: 'jobmon_graphql_operation_duration_seconds',
      help: 'Time from receiving a GraphQL operation over HTTP to its answer, by operation type, in seconds.',
      labelNames: ['type'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    const subscriptions = new Gauge({
      name: 'jobmon_subscriptions',
      help: 'Active GraphQL subscriptions (graphql-ws) on this server, by subscription field.',
      labelNames: ['field'],
      registers,
      collect: (): void => {
        // A field once subscribed to stays in the output, at 0 when none is left.
        const active = this.subscriptionCounts();
        for (const field of active.keys()) this.subscriptionFieldsSeen.add(field);
        for (const field of this.subscriptionFieldsSeen) subscriptions.set({ field }, active.get(field) ?? 0);
      },
    });
    const connections = new Gauge({
      name: 'jobmon_websocket_connections',
      help: 'Open graphql-ws WebSocket connections on this server.',
      registers,
      collect: (): void => connections.set(this.connectionCount()),
    });
    this.eventLag = new Histogram({
      name: 'jobmon_event_lag_seconds',
      help: "Time from a status change's audit row (its timestamp) to this server handing it to its subscription feeds, in seconds.",
      buckets: LAG_BUCKETS,
      registers,
    });
  }

  /** Where the subscription gauges read from (the graphql-ws server, once it is attached). */
  observeSubscriptions(source: {
    readonly activeSubscriptions: ReadonlyMap<string, number>;
    readonly connectionCount: number;
  }): void {
    this.subscriptionCounts = () => source.activeSubscriptions;
    this.connectionCount = () => source.connectionCount;
  }

  /**
   * Measures the lag of the events this process dispatches. Events up to `liveFrom` are history the
   * tailer re-reads on start, not news: they are left out.
   */
  observeEvents(
    source: { onEvents(listener: (events: readonly AuditEventRecord[]) => void): () => void },
    liveFrom: number,
  ): () => void {
    return source.onEvents((events) => {
      const now = Date.now();
      for (const event of events)
        if (event.id > liveFrom) this.eventLag.observe(Math.max(0, now - event.at.getTime()) / 1000);
    });
  }

  /** The exposition text of every metric: this server's and the process's. */
  async scrape(): Promise<string> {
    return Registry.merge([processRegistry(), this.registry]).metrics();
  }

  private async setCounts(
    which: 'tasks' | 'tasks_retrying' | 'workflows' | 'task_instances',
    statuses: readonly string[],
  ): Promise<void> {
    const gauge = this.registry.getSingleMetric(`jobmon_${which}`) as Gauge<'status'>;
    let snapshot: StatusCountsSnapshot;
    try {
      snapshot = await this.counts();
    } catch (error) {
      // A scrape without these gauges beats a failed scrape; the next one reads again.
      logger.warn({ err: error }, 'reading status counts for /metrics failed');
      gauge.reset();
      return;
    }
    const counts = {
      tasks: snapshot.tasks,
      tasks_retrying: snapshot.retryingTasks,
      workflows: snapshot.workflows,
      task_instances: snapshot.taskInstances,
    }[which];
    for (const status of statuses) gauge.set({ status }, counts.get(status) ?? 0);
  }

  /**
   * One read for the three gauges of a scrape, shared for `countsCacheMs` — or, when a read is slow (an
   * unfinished workflow of a million tasks), for ten times its duration, so that however often /metrics
   * is scraped, these reads keep the database busy at most a tenth of the time. A read in progress is
   * shared too. 0 turns the cache off (tests).
   */
  private counts(): Promise<StatusCountsSnapshot> {
    const now = Date.now();
    const cached = this.countsCache;
    if (cached && now - cached.at < cached.validMs) return cached.value;
    const value = readStatusCounts(this.db);
    const entry = { at: now, validMs: this.options.countsCacheMs > 0 ? Number.POSITIVE_INFINITY : 1, value };
    this.countsCache = entry;
    value.then(
      () => {
        if (this.options.countsCacheMs > 0)
          entry.validMs = Math.max(this.options.countsCacheMs, SLOW_READ_FACTOR * (Date.now() - now));
      },
      () => {
        if (this.countsCache === entry) this.countsCache = null;
      },
    );
    return value;
  }
}

/** Workflow ids per statement of the task count (a longer IN list is split). */
const WORKFLOWS_PER_READ = 1000;

/**
 * The counts behind the status gauges, each served by an index: workflows by (status, id); tasks of the
 * unfinished workflows from their kept counts (workflow_template_task_count: a few rows per workflow, never the
 * tasks themselves); live attempts by (status, heartbeat_at).
 */
export async function readStatusCounts(db: Database): Promise<StatusCountsSnapshot> {
  const list = (values: readonly (string | number)[]) => values.map((value) => db.literal(value)).join(', ');
  const read = async (sql: string, into = new Map<string, number>()) => {
    for (const row of await db.selectDirect(sql, { background: true }))
      into.set(String(row.status), (into.get(String(row.status)) ?? 0) + Number(row.count));
    return into;
  };
  const [workflows, unfinished, taskInstances] = await Promise.all([
    read('SELECT status, COUNT(*) AS count FROM workflow GROUP BY status'),
    db.selectDirect(`SELECT id FROM workflow WHERE status IN (${list(UNFINISHED_WORKFLOW_STATUSES)})`, {
      background: true,
    }),
    read(
      `SELECT status, COUNT(*) AS count FROM task_instance WHERE status IN (${list(LIVE_TASK_INSTANCE_STATUSES)}) GROUP BY status`,
    ),
  ]);
  const tasks = new Map<string, number>();
  const retryingTasks = new Map<string, number>();
  const ids = unfinished.map((row) => Number(row.id));
  for (let start = 0; start < ids.length; start += WORKFLOWS_PER_READ) {
    const rows = await db.selectDirect(
      `SELECT status, SUM(task_count) AS count, SUM(retrying_count) AS retrying FROM workflow_template_task_count
        WHERE workflow_id IN (${list(ids.slice(start, start + WORKFLOWS_PER_READ))}) GROUP BY status`,
      { background: true },
    );
    for (const row of rows) {
      const status = String(row.status);
      tasks.set(status, (tasks.get(status) ?? 0) + Number(row.count));
      retryingTasks.set(status, (retryingTasks.get(status) ?? 0) + Number(row.retrying));
    }
  }
  return { tasks, retryingTasks, workflows, taskInstances };
}
