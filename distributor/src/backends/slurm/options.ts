import type { SlurmRunner } from './commands';

export interface SlurmBackendOptions {
  /** The API server the workers report to (as the jobs see it). */
  serverUrl: string;
  /**
   * The distributor's token. Not given to the jobs: their workers report with each attempt's own
   * credential (ClaimedTaskInstance.reportToken, in the array file).
   */
  token?: string;
  /** Base directory of logs, array files and the workers' reports: on a file system the nodes share. */
  logDir?: string;
  /** Partitions served, in order (default: all); each is a queue with its bounds. */
  partitions?: readonly string[];
  /** Most jobs it keeps in Slurm at once (default 2000). */
  capacity?: number;
  /** How often squeue/sacct are asked about the jobs (ms, default 5000). */
  pollIntervalMs?: number;
  /** The workers' heartbeat interval (s). */
  heartbeatSeconds?: number;
  /** How a job starts jobmon-worker (default: this Node and the built `dist/cli/worker.js`). */
  workerCommand?: readonly string[];
  /** Added to each job's --mem for jobmon-worker itself (MiB, default 128). */
  workerMemoryMb?: number;
  /** Slurm's --time is the task's runtime plus this (s, default 60): the worker ends it first, exactly. */
  timeLimitSlackSeconds?: number;
  /** The worker kills the command over its memoryMb (default true; false: only Slurm's cgroup does). */
  workerEnforcesMemory?: boolean;
  /**
   * The worker ends the command at its runtimeSeconds (default true). False: Slurm's time limit alone
   * does, with `--time` = the runtime (no slack; Slurm rounds it up to whole minutes and checks it
   * about every 30 s), and the job ends TIMEOUT.
   */
  workerEnforcesRuntime?: boolean;
  /** Prefix of the job names (default `jobmon`): `jobmon-<template>`. */
  jobNamePrefix?: string;
  /** Overrides what Slurm says (MaxArraySize, MaxSubmitJobsPerUser): for tests. */
  maxArraySize?: number;
  submitLimit?: number | null;
  hostname?: string;
  runner?: SlurmRunner;
}
