// @jobmon/distributor: the distributor service (claims work from the API and runs it on a backend) and
// the supervision of each command (the worker side, also the `jobmon-worker` command for remote hosts).
export { startDistributor, type Distributor, type DistributorOptions } from './distributor';
export { createBackend, BACKEND_NAMES, type BackendName } from './backends/by-name';
export type {
  AdoptResult,
  Backend,
  BackendEvents,
  ClaimedInstance,
  FinishedReport,
  JobRef,
  JobStatus,
  RunningReport,
  SubmitResult,
} from './backend';
export { LocalBackend, type LocalBackendOptions } from './backends/local';
export { DummyBackend, type DummyBackendOptions } from './backends/dummy';
export { SlurmBackend, createSlurmBackend, type SlurmBackendOptions } from './backends/slurm';
export {
  supervise,
  adoptProcess,
  reportFromFiles,
  Supervision,
  Supervisor,
  type SuperviseRequest,
  type SupervisorOptions,
} from './supervisor';
export { classify, type KillReason } from './classify';
export { logPaths, readTail, readExitFile, TAIL_BYTES, DEFAULT_LOG_DIR, type LogPaths } from './log-files';
export { ProcessMonitor, defaultMonitor, type GroupSample } from './monitor';
export { groupMembers, parseProcessJobId } from './proc';
export { GraphQLClient, GraphQLRequestError, graphqlEndpoint } from './client';
export { runWorker, type WorkerOptions } from './worker';
