import type {
  ClaimedInstanceFragment,
  QueueInput,
  TaskInstanceFinishedInput,
  TaskInstanceRunningInput,
} from './generated/graphql';

/** One claimed attempt, as the server hands it out (claim, report-and-claim, adoption). */
export type ClaimedInstance = ClaimedInstanceFragment;
export type FinishedReport = TaskInstanceFinishedInput;
export type RunningReport = TaskInstanceRunningInput;

/** What a backend tells the distributor about its instances as they go; the distributor reports it. */
export interface BackendEvents {
  running(report: RunningReport): void;
  finished(report: FinishedReport): void;
}

/** The answer to one submitted instance: accepted (with its backend job id once it has one) or refused. */
export type SubmitResult =
  | { id: string; accepted: true; backendJobId: string | null; stdoutPath?: string; stderrPath?: string }
  | { id: string; accepted: false; reason: string };

/** An instance as the backend knows it: by instance id and, once it has one, by its backend job id. */
export interface JobRef {
  id: string;
  workflowId: string;
  backendJobId: string | null;
  /** The attempt's nonce: files (exit file, worker report) are taken as its only when they carry it. */
  nonce: string;
}

/** The deployment a distributor serves (its server's database): its files go under `<log dir>/<id>/`. */
export interface Deployment {
  id: string;
}

export type JobStatus =
  | { state: 'PENDING' | 'RUNNING' }
  | { state: 'FINISHED'; report: FinishedReport }
  /** The backend has no trace of it. */
  | { state: 'UNKNOWN'; reason: string };

export type AdoptResult =
  /** It still runs (or waits) under the backend; its end comes through `events.finished`. */
  | { id: string; state: 'RUNNING' }
  /** It ended while nobody watched: this is what can be known of it. */
  | { id: string; state: 'FINISHED'; report: FinishedReport }
  /** It never started: it may be submitted again. */
  | { id: string; state: 'NOT_STARTED' };

/**
 * Where claimed instances run. Small on purpose: submit a batch, ask the status of many at once, cancel
 * many at once, and take over the jobs of a previous distributor process. A backend reports starts and
 * ends through `events`, pushed as they happen (local processes) or found by one poll per cycle for all
 * its jobs (Slurm: squeue/sacct); reports are idempotent on the server, so a backend may report an end
 * that its worker already reported.
 */
export interface Backend {
  /** local | sequential | dummy | slurm */
  readonly kind: string;
  /** How many instances it runs at once (registered with the server). */
  readonly capacity: number;
  /** The queues it serves, with their bounds (registered with the server, used to place resources). */
  readonly queues: readonly QueueInput[];
  /** How many more instances it takes now: the claim limit. */
  freeSlots(): number;
  /**
   * Whether it runs short of work: a slot is idle, or would be before more work could arrive (few
   * instances wait in it). A finished report's request claims; while this is false the distributor may
   * hold finished reports a moment to send many in one request. Without it, they always go at once.
   */
  starving?(): boolean;
  /**
   * Called once, before anything is submitted, with the deployment it serves: its files go under
   * `<log dir>/<deployment id>/`, apart from those of any other database using the same directory.
   */
  start(events: BackendEvents, deployment?: Deployment): void;
  /** Takes a batch of claimed instances: per instance, its job id or why it was refused. */
  submit(instances: readonly ClaimedInstance[]): Promise<SubmitResult[]>;
  /** The state of many jobs at once (triage: what happened to an instance that went quiet). */
  status(jobs: readonly JobRef[]): Promise<Map<string, JobStatus>>;
  /**
   * Why the backend holds its pending jobs, by instance id (Slurm: squeue's reason, e.g. Resources,
   * Priority, QOSMaxJobsPerUserLimit); the distributor's heartbeat carries changes to the server, where
   * Task.blockedBy shows them. Backends that start jobs at once have none.
   */
  pendingReasons?(): ReadonlyMap<string, string>;
  /** Ends jobs; each ends with a KILLED report through `events.finished`. */
  cancel(jobs: readonly JobRef[]): Promise<void>;
  /** Takes over instances of a previous process of this distributor (after a restart). */
  adopt(instances: readonly ClaimedInstance[]): Promise<AdoptResult[]>;
  /**
   * The server has taken the finished reports of these instances (the distributor will not ask about
   * them again): a backend may drop what it keeps of them (Slurm: the array files and their journal).
   */
  delivered?(ids: readonly string[]): void;
  /**
   * Stops. `detach` leaves running jobs to a later adopter (they keep running); `kill` ends them and
   * reports each as UNKNOWN_ERROR (the attempt is retried: stopping a distributor is not stopping a task).
   */
  shutdown(mode: 'detach' | 'kill'): Promise<void>;
}
