export {
  claimTaskInstances,
  claimInTransaction,
  readClaimedInstances,
  type ClaimedInstance,
} from './claims/claim';
export {
  reportFinished,
  reportLaunched,
  reportRunning,
  type FinishedReport,
  type LaunchReport,
  type RunningReport,
  type ReportResult,
} from './reports';
export {
  resumeWorkflow,
  resetWorkflow,
  stopWorkflow,
  setMaxConcurrentlyRunning,
  setTaskStatus,
  finishColdResume,
  ResumeMode,
  OVERRIDE_STATUSES,
} from './run-control/control';
export {
  registerDistributor,
  heartbeatDistributor,
  heartbeatTaskInstances,
  distributorTaskInstances,
} from './distributors/registry';
export { reap, type ReaperOptions, type ReaperSweep } from './reaper/reaper';
export { startReaperLoop, afterReports, type ReaperLoop } from './reaper/reaper-loop';
