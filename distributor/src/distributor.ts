import os from 'node:os';
import { MAX_IDS_PER_DISTRIBUTOR_REQUEST } from '@jobmon/core';
import type { AdoptResult, Backend, ClaimedInstance, FinishedReport, JobRef } from './backend';
import { createBackend, type BackendName } from './backends/by-name';
import { GraphQLClient, backoffMs, type GraphQLTransport } from './client';
import {
  DistributorTaskInstancesDocument,
  HeartbeatDistributorDocument,
  RegisterDistributorDocument,
  ReissueAttemptCredentialsDocument,
} from './generated/graphql';
import { instanceLogIds, logger as rootLogger } from './logger';
import { Reporter } from './reporter';
import { followWakeups } from './wakeups';
import { DEFAULT_LOG_DIR } from './log-files';

/** Instance statuses of attempts still in flight (anything else in an adoption list was given up). */
const ACTIVE_STATUSES: ReadonlySet<string> = new Set([
  'INSTANTIATED',
  'LAUNCHED',
  'RUNNING',
  'TRIAGING',
  'KILL_SELF',
]);

export interface DistributorOptions {
  /** The API server's base URL (`http://localhost:4000`) or its /graphql endpoint. */
  serverUrl: string;
  /** A backend by name, or a backend object (a Slurm backend, a test double). */
  backend: BackendName | Backend;
  /** Stable identity across restarts (default `<hostname>-<backend>`): a restart adopts what it ran. */
  name?: string;
  /** How often to look for work when idle (ms, default 1000); `wake()` looks at once. */
  pollIntervalMs?: number;
  /** Heartbeat interval (s, default env JOBMON_HEARTBEAT_SECONDS or 30). */
  heartbeatSeconds?: number;
  /** Base directory of the commands' output files (default `./.jobmon/logs`). */
  logDir?: string;
  /** Bearer token for the API. */
  token?: string;
  /**
   * Where its requests go instead of over HTTP to `serverUrl`: the API of the same process (the embedded
   * distributor of `jobmon server`, with a transport authenticated by `token`). The `workQueued`
   * subscription still follows `serverUrl`.
   */
  transport?: GraphQLTransport;
  /** Commands at once (local: default the machine's cores; dummy: instances per claim). */
  slots?: number;
  /** Local: instances claimed ahead of free slots, to start without a round trip (see LocalBackendOptions). */
  prefetch?: number;
  /** Queue name it serves (default `local`; dummy: `dummy`). */
  queue?: string;
  hostname?: string;
  /**
   * What `stop()` does with running commands: `detach` (default) leaves them running for the next
   * process of the same name to adopt; `kill` ends them (each reported UNKNOWN_ERROR, so it is retried).
   */
  onStop?: 'detach' | 'kill';
  /** How long `stop()` tries to deliver the last reports (ms, default 10 s). */
  stopTimeoutMs?: number;
  /** Every how many heartbeats the distributor compares its instances with the server's (default 10). */
  reconcileEvery?: number;
  /** Follow the `workQueued` subscription to claim as soon as work is queued (default true). */
  subscribe?: boolean;
}

export interface Distributor {
  /** Resolves once registered (and the previous incarnation's instances adopted). */
  readonly ready: Promise<{ distributorId: string }>;
  /** The registered id (undefined until registered). */
  readonly distributorId: string | undefined;
  readonly backend: Backend;
  /**
   * Looks for work now (the `workQueued` subscription calls this). A reason other than queued work
   * (e.g. SIGNALLED) also sends a heartbeat at once, whose answer carries kills.
   */
  wake(reason?: string): void;
  /** Stops claiming, delivers what is left to report, and stops. */
  stop(): Promise<void>;
  /** Counters, for tests and benchmarks. */
  stats(): { requests: number; active: number; pendingReports: number; claimed: number };
}

interface Known {
  instance: ClaimedInstance;
  backendJobId: string | null;
  /** Its finished report is queued (or being sent): it no longer runs. */
  finished: boolean;
}

function heartbeatFromEnv(): number {
  const value = Number(process.env.JOBMON_HEARTBEAT_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : 30;
}

/**
 * The distributor loop: registers, adopts what a previous process of the same name left running, then
 * claims work up to the backend's free slots, runs it on the backend and reports what happens, with a
 * heartbeat that carries kill and triage requests back. It survives the server going away (everything
 * is retried with backoff; no finished report is dropped) and carries on when it comes back.
 */
export function startDistributor(options: DistributorOptions): Distributor {
  const hostname = options.hostname ?? os.hostname();
  const backend =
    typeof options.backend === 'string'
      ? createBackend(options.backend, {
          slots: options.slots,
          prefetch: options.prefetch,
          logDir: options.logDir ?? DEFAULT_LOG_DIR,
          queue: options.queue,
          hostname,
        })
      : options.backend;
  const name = options.name ?? `${hostname}-${backend.kind}`;
  const log = rootLogger.child({ distributor: name, backend: backend.kind });
  const client =
    options.transport ?? new GraphQLClient({ serverUrl: options.serverUrl, token: options.token });
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const heartbeatMs = (options.heartbeatSeconds ?? heartbeatFromEnv()) * 1000;
  const reconcileEvery = Math.max(1, options.reconcileEvery ?? 10);

  const known = new Map<string, Known>();
  let distributorId: string | undefined;
  let stopped = false;
  let claimedTotal = 0;
  let heartbeats = 0;
  let heartbeatInFlight = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let heartbeatSoon: NodeJS.Timeout | undefined;
  let stopWakeups: (() => void) | undefined;
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const ref = (id: string): JobRef => {
    const entry = known.get(id);
    return {
      id,
      workflowId: entry?.instance.workflowId ?? '0',
      backendJobId: entry?.backendJobId ?? entry?.instance.backendJobId ?? null,
      nonce: entry?.instance.nonce ?? '',
    };
  };

  const finish = (report: FinishedReport) => {
    const entry = known.get(report.id);
    if (entry) {
      if (entry.finished) return;
      entry.finished = true;
    }
    reporter.finishedReport(report);
  };

  const reporter = new Reporter(
    client,
    {
      distributorId: () => distributorId!,
      // A request may claim at most MAX_IDS_PER_DISTRIBUTOR_REQUEST: a backend with more free slots (a
      // large Slurm) would otherwise have every claim refused, and claim nothing.
      claimLimit: () => (stopped ? 0 : Math.min(backend.freeSlots(), MAX_IDS_PER_DISTRIBUTOR_REQUEST)),
      onClaimed: (instances) => {
        claimedTotal += instances.length;
        void submit(instances);
      },
      onKill: (ids) => void kill(ids),
      onDelivered: (ids) => {
        for (const id of ids) if (known.get(id)?.finished) known.delete(id);
        backend.delivered?.(ids);
      },
      urgent: () => stopped || (backend.starving?.() ?? true),
    },
    log,
  );

  async function submit(instances: ClaimedInstance[]): Promise<void> {
    if (stopped) {
      // Left INSTANTIATED: the next process of this name adopts them (or the reaper retries them).
      log.info(
        { taskInstanceIds: instances.map((instance) => instance.id) },
        'claimed while stopping; left for adoption',
      );
      return;
    }
    for (const instance of instances)
      if (!known.has(instance.id)) known.set(instance.id, { instance, backendJobId: null, finished: false });
    let results;
    try {
      results = await backend.submit(instances);
    } catch (error) {
      results = instances.map((instance) => ({
        id: instance.id,
        accepted: false as const,
        reason: `the backend failed: ${(error as Error).message}`,
      }));
    }
    for (const result of results) {
      const entry = known.get(result.id);
      if (!result.accepted) {
        log.warn(
          {
            ...(entry ? instanceLogIds(entry.instance) : { taskInstanceId: result.id }),
            reason: result.reason,
          },
          'the backend refused a task instance',
        );
        finish({ id: result.id, outcome: 'NO_DISTRIBUTOR_ID', errorMessage: result.reason, hostname });
        continue;
      }
      if (entry && result.backendJobId) entry.backendJobId = result.backendJobId;
      // A command already over (dummy, or very short) needs no launch report: its end says it all.
      if (entry?.finished && !result.backendJobId) continue;
      reporter.launched({
        id: result.id,
        backendJobId: result.backendJobId,
        stdoutPath: result.stdoutPath ?? null,
        stderrPath: result.stderrPath ?? null,
      });
    }
  }

  /** Acts on what a backend says about instances it took over or was asked about. */
  async function settle(instances: ClaimedInstance[], results: AdoptResult[], kills: Set<string>) {
    const byId = new Map(instances.map((instance) => [instance.id, instance]));
    const resubmit: ClaimedInstance[] = [];
    const cancel: JobRef[] = [];
    for (const result of results) {
      const instance = byId.get(result.id);
      if (!instance) continue;
      // A terminal status: the server gave it up while this distributor was silent (a retry may run now).
      const killWanted =
        instance.status === 'KILL_SELF' || !ACTIVE_STATUSES.has(instance.status) || kills.has(instance.id);
      switch (result.state) {
        case 'RUNNING':
          known.set(instance.id, { instance, backendJobId: instance.backendJobId, finished: false });
          if (killWanted) cancel.push(ref(instance.id));
          break;
        case 'FINISHED':
          known.set(instance.id, { instance, backendJobId: instance.backendJobId, finished: false });
          finish(result.report);
          break;
        case 'NOT_STARTED':
          if (killWanted) {
            known.set(instance.id, { instance, backendJobId: null, finished: false });
            finish({
              id: instance.id,
              outcome: 'KILLED',
              errorMessage: 'killed before it started',
              hostname,
            });
          } else resubmit.push(instance);
          break;
      }
    }
    if (cancel.length) await backend.cancel(cancel);
    if (resubmit.length) await submit(await withFreshCredentials(resubmit));
  }

  /**
   * Attempts submitted again after a restart need a credential for their workers (the server kept only
   * the old one's hash). The server issues one for each attempt still this distributor's to start; an
   * attempt it leaves out was given up or ended meanwhile and is not started.
   */
  async function withFreshCredentials(instances: ClaimedInstance[]): Promise<ClaimedInstance[]> {
    const data = await client.request(ReissueAttemptCredentialsDocument, {
      distributorId: distributorId!,
      taskInstanceIds: instances.map((instance) => instance.id),
    });
    const tokens = new Map(
      data.reissueAttemptCredentials.map((issued) => [issued.taskInstanceId, issued.reportToken]),
    );
    const left = instances.filter((instance) => !tokens.has(instance.id));
    if (left.length)
      log.info(
        { taskInstanceIds: left.map((instance) => instance.id) },
        'no longer ours to start; not submitted',
      );
    return instances
      .filter((instance) => tokens.has(instance.id))
      .map((instance) => ({ ...instance, reportToken: tokens.get(instance.id)! }));
  }

  /**
   * Compares the server's list of this distributor's unfinished instances with what it knows, and takes
   * over the ones it does not know: after a restart (all of them), or after a lost claim answer. Runs
   * between two reporter requests, so no claim is in flight and every delivered report is applied.
   */
  async function reconcile(kills: Set<string> = new Set()): Promise<void> {
    if (!distributorId || stopped) return;
    const data = await client.request(DistributorTaskInstancesDocument, { distributorId });
    const unknown = data.distributorTaskInstances.filter((instance) => !known.has(instance.id));
    if (unknown.length === 0) return;
    log.info({ taskInstanceIds: unknown.map((instance) => instance.id) }, 'taking over instances');
    const results = await backend.adopt(unknown);
    await settle(unknown, results, kills);
  }

  async function kill(ids: string[]): Promise<void> {
    const cancel: JobRef[] = [];
    const unknown = new Set<string>();
    for (const id of ids) {
      const entry = known.get(id);
      if (!entry) unknown.add(id);
      else if (!entry.finished) cancel.push(ref(id));
    }
    if (cancel.length) {
      log.info({ taskInstanceIds: cancel.map((job) => job.id) }, 'killing on request');
      await backend.cancel(cancel);
    }
    if (unknown.size) void reporter.runExclusive(() => reconcile(unknown)).catch(() => undefined);
  }

  async function triage(ids: string[]): Promise<void> {
    const jobs: JobRef[] = [];
    let unknown = false;
    for (const id of ids) {
      const entry = known.get(id);
      if (!entry) unknown = true;
      else if (!entry.finished) jobs.push(ref(id));
    }
    if (jobs.length) {
      const statuses = await backend.status(jobs);
      for (const [id, status] of statuses) {
        if (status.state === 'FINISHED') finish(status.report);
        else if (status.state === 'UNKNOWN')
          finish({ id, outcome: 'UNKNOWN_ERROR', errorKind: 'LOST', errorMessage: status.reason, hostname });
        // PENDING / RUNNING: the next heartbeat lists it, which moves it back to RUNNING.
      }
    }
    if (unknown) void reporter.runExclusive(() => reconcile()).catch(() => undefined);
  }

  /** The backend's pending reasons the server has been told (instance id → reason). */
  const pendingSent = new Map<string, string | null>();
  /** Active instances whose backend pending reason changed since the server was last told. */
  function pendingChanges(active: readonly string[]): { id: string; reason: string | null }[] {
    const reasons = backend.pendingReasons?.() ?? new Map<string, string>();
    const changes: { id: string; reason: string | null }[] = [];
    for (const id of active) {
      const reason = reasons.get(id) ?? null;
      if (reason !== (pendingSent.get(id) ?? null)) changes.push({ id, reason });
    }
    return changes;
  }

  async function heartbeat(): Promise<void> {
    if (!distributorId || heartbeatInFlight || stopped) return;
    heartbeatInFlight = true;
    try {
      const active = [...known.entries()].filter(([, entry]) => !entry.finished).map(([id]) => id);
      const pending = new Map(pendingChanges(active).map((change) => [change.id, change]));
      // A request lists at most MAX_IDS_PER_DISTRIBUTOR_REQUEST attempts: more go in several, each
      // answered for its own (the server keeps alive, and orders, only the attempts a heartbeat lists).
      // Every answer also names the distributor's given-up attempts, listed or not: each acted on once.
      const ordered = new Set<string>();
      const once = (ids: readonly string[]) => ids.filter((id) => !ordered.has(id) && ordered.add(id));
      let start = 0;
      do {
        const chunk = active.slice(start, start + MAX_IDS_PER_DISTRIBUTOR_REQUEST);
        const chunkPending = chunk.flatMap((id) => pending.get(id) ?? []);
        const data = await client.request(
          HeartbeatDistributorDocument,
          { distributorId, activeInstanceIds: chunk, pending: chunkPending.length ? chunkPending : null },
          { timeoutMs: Math.max(5_000, heartbeatMs) },
        );
        for (const { id, reason } of chunkPending) pendingSent.set(id, reason);
        const kills = once(data.heartbeatDistributor.killInstanceIds);
        const triages = once(data.heartbeatDistributor.triageInstanceIds);
        if (kills.length) await kill(kills);
        if (triages.length) await triage(triages);
        start += MAX_IDS_PER_DISTRIBUTOR_REQUEST;
      } while (start < active.length);
      for (const id of pendingSent.keys())
        if (!known.has(id) || known.get(id)!.finished) pendingSent.delete(id);
      heartbeats += 1;
      if (heartbeats % reconcileEvery === 0)
        void reporter.runExclusive(() => reconcile()).catch(() => undefined);
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'heartbeat failed');
    } finally {
      heartbeatInFlight = false;
    }
  }

  async function register(): Promise<{ id: string; deploymentId: string }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const data = await client.request(RegisterDistributorDocument, {
          input: {
            name,
            backend: backend.kind,
            hostname,
            capacity: backend.capacity,
            queues: [...backend.queues],
          },
        });
        const registered = data.registerDistributor;
        // Whose commands it runs, as this process's operating-system user: said at every start.
        if (registered.servesAllUsers)
          log.warn(
            { owner: registered.owner, osUser: os.userInfo().username },
            `an admin let this distributor run EVERY user's work: their commands run as ${os.userInfo().username}`,
          );
        else if (registered.owner)
          log.info({ owner: registered.owner }, `runs the work of ${registered.owner} only`);
        return { id: registered.id, deploymentId: registered.deploymentId };
      } catch (error) {
        if (stopped) throw error;
        const delay = backoffMs(attempt);
        log.warn({ err: (error as Error).message, retryInMs: delay }, 'cannot register with the server yet');
        await sleep(delay);
        if (stopped) throw error;
      }
    }
  }

  const ready = (async () => {
    const registration = await register();
    distributorId = registration.id;
    // Started once the deployment is known: its files go under <log dir>/<deployment id>/.
    backend.start(
      {
        running: (report) => {
          const entry = known.get(report.id);
          if (entry?.finished) return;
          if (entry && report.backendJobId) entry.backendJobId = report.backendJobId;
          reporter.runningReport(report);
        },
        finished: finish,
      },
      { id: registration.deploymentId },
    );
    log.info({ distributorId, capacity: backend.capacity }, 'registered');
    // Adopt what a previous process of this name left: retried until the server answers.
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await reporter.runExclusive(() => reconcile());
        break;
      } catch (error) {
        const delay = backoffMs(attempt);
        log.warn({ err: (error as Error).message, retryInMs: delay }, 'cannot list instances to adopt yet');
        await sleep(delay);
      }
    }
    if (stopped) return { distributorId };
    void heartbeat();
    heartbeatTimer = setInterval(() => void heartbeat(), heartbeatMs);
    pollTimer = setInterval(() => {
      if (backend.freeSlots() > 0) reporter.wantClaim();
    }, pollIntervalMs);
    if (options.subscribe ?? true)
      stopWakeups = followWakeups({
        serverUrl: options.serverUrl,
        distributorId,
        token: options.token,
        log,
        onWake: (reason) => wake(reason),
      });
    reporter.wantClaim();
    return { distributorId };
  })();

  function wake(reason?: string): void {
    if (!distributorId || stopped) return;
    reporter.wantClaim();
    if (reason && reason !== 'TASKS_QUEUED' && reason !== 'RUN_BOUND' && !heartbeatSoon) {
      heartbeatSoon = setTimeout(() => {
        heartbeatSoon = undefined;
        void heartbeat();
      }, 20);
    }
  }
  ready.catch((error: unknown) => {
    if (!stopped) log.error({ err: error }, 'the distributor could not start');
  });

  return {
    ready,
    get distributorId() {
      return distributorId;
    },
    backend,
    wake,
    async stop() {
      if (stopped) return;
      stopped = true;
      reporter.disableClaims();
      if (pollTimer) clearInterval(pollTimer);
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      if (heartbeatSoon) clearTimeout(heartbeatSoon);
      stopWakeups?.();
      for (const timer of timers) clearTimeout(timer);
      await backend.shutdown(options.onStop ?? 'detach');
      if (distributorId) {
        const delivered = await reporter.drain(options.stopTimeoutMs ?? 10_000);
        if (!delivered)
          log.warn(
            { pendingReports: reporter.pending() },
            'stopped before every report was delivered; the next start adopts and reports them',
          );
      }
      reporter.stop();
      log.info('stopped');
    },
    stats() {
      return {
        requests: reporter.requests,
        active: [...known.values()].filter((entry) => !entry.finished).length,
        pendingReports: reporter.pending(),
        claimed: claimedTotal,
      };
    },
  };
}
