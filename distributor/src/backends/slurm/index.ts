export { SlurmBackend, createSlurmBackend, defaultWorkerCommand } from './backend';
export { discoverSlurm, type Discovery } from './discovery';
export type { SlurmBackendOptions } from './options';
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
