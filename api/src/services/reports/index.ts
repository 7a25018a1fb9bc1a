export { reportFinished, finishInTransaction } from './finished';
export { reportLaunched, reportRunning } from './launched-running';
export { reportProblems } from './problems';
export type { FinishedReport, LaunchReport, ReportOptions, ReportResult, RunningReport } from './types';
