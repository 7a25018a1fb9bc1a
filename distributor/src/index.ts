// @jobmon/distributor: the distributor service (claims work from the API and runs it on a backend) and
// the supervision of each command (the worker side, also the `jobmon-worker` command for remote hosts).
export {
  startDistributor,
  createBackend,
  BACKEND_NAMES,
  type BackendName,
  type Distributor,
  type DistributorOptions,
} from './distributor';
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
  classify,
  logPaths,
  readTail,
  readExitFile,
  reportFromFiles,
  Supervision,
  TAIL_BYTES,
  DEFAULT_LOG_DIR,
  type KillReason,
  type LogPaths,
  type SuperviseRequest,
  type SupervisorOptions,
} from './supervisor';
export { ProcessMonitor, defaultMonitor, type GroupSample } from './monitor';
export { groupMembers, parseProcessJobId } from './proc';
export { GraphQLClient, GraphQLRequestError, graphqlEndpoint } from './client';
export { runWorker, type WorkerOptions } from './worker';
