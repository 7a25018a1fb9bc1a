export {
  SlurmBackend,
  createSlurmBackend,
  defaultWorkerCommand,
  discoverSlurm,
  type SlurmBackendOptions,
} from './backend';
export { processRunner, type SlurmRunner, type SlurmResult, type SlurmTool } from './commands';
export {
  readArrayFileTask,
  reportFilePath,
  writeReportFile,
  type ArrayFile,
  type ArrayFileTask,
} from './array-file';
export * from './parse';
export * from './sbatch-args';
export * from './outcome';
