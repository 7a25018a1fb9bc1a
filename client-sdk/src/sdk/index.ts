// The typed SDK: Tool → TaskTemplate → Task, Workflow (run, resume, stop) and JobmonClient.
export * from './client';
export * from './errors';
export * from './resources';
export { argumentProblems, findCycle, templatePlaceholders, validateSubmission } from './validate';
export * from './workflow';
export type {
  ResourceScalesInput,
  ResourcesInput,
  ResumeMode,
  TaskInput,
  TaskTemplateInput,
  WorkflowStatus,
  WorkflowSubmission,
} from '../generated/graphql';
export * from './progress';
