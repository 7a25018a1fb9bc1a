export { claimTaskInstances, claimInTransaction, readClaimedInstances, type ClaimedInstance } from './claim';
export {
  reportFinished,
  reportLaunched,
  reportRunning,
  TaskInstanceOutcome,
  type FinishedReport,
  type LaunchReport,
  type RunningReport,
  type ReportResult,
} from './report';
export {
  resumeWorkflow,
  stopWorkflow,
  setMaxConcurrentlyRunning,
  setTaskStatus,
  finishColdResume,
  ResumeMode,
  OVERRIDE_STATUSES,
} from './control';
export {
  registerDistributor,
  heartbeatDistributor,
  heartbeatTaskInstances,
  distributorTaskInstances,
} from './distributor';
export { reap, type ReaperOptions, type ReaperSweep } from './reaper';
export { startEngine, afterReports, type Engine } from './engine';
