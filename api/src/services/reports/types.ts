import type { TaskInstanceOutcome } from '../../domain';
import type { ClaimedInstance } from '../claims/claim';

// What distributors (and their workers) report about attempts, and what they are answered.

export interface FinishedReport {
  id: number;
  outcome: TaskInstanceOutcome;
  exitCode?: number | null;
  errorKind?: string | null;
  errorMessage?: string | null;
  hostname?: string | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  stdoutPath?: string | null;
  stderrPath?: string | null;
  stdoutTail?: string | null;
  stderrTail?: string | null;
  usage?: { maxRssMb?: number | null; wallSeconds?: number | null; cpuSeconds?: number | null } | null;
}

export interface LaunchReport {
  id: number;
  backendJobId?: string | null;
  stdoutPath?: string | null;
  stderrPath?: string | null;
}

export interface RunningReport {
  id: number;
  hostname?: string | null;
  backendJobId?: string | null;
  startedAt?: Date | null;
}

export interface ReportResult {
  accepted: number[];
  ignored: { id: number; reason: string }[];
  killInstanceIds: number[];
  claimed: ClaimedInstance[];
}

export interface ReportOptions {
  actor?: string | null;
  /** Only instances of this distributor may be reported (a distributor's own reports). */
  distributorId?: number | null;
  /** Claim this many more in the same transaction (needs distributorId). */
  claimLimit?: number;
  /** Used by the reaper: the reason written on the audit rows. */
  reason?: string | null;
  /** Output tails keep their last this many UTF-8 bytes (config.limits.maxTailBytes). */
  tailBytes?: number;
  /**
   * Used by the reaper: the server gives these attempts up while their commands may still run. Their
   * distributor claims nothing more until it has killed them or reported their end (a late result).
   */
  givingUp?: boolean;
  /**
   * Called once the transaction has committed, when it claimed (claimLimit and distributorId), with the
   * tasks it QUEUED: that claim saw them, so their QUEUED events need not wake its distributor.
   */
  onQueuedWithClaim?: (taskIds: readonly number[]) => void;
}

export const emptyResult = (): ReportResult => ({
  accepted: [],
  ignored: [],
  killInstanceIds: [],
  claimed: [],
});
