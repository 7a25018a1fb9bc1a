import { registerEnumType } from 'type-graphql';
import {
  EntityType,
  Role,
  TaskInstanceStatus,
  TaskStatus,
  WorkflowRunStatus,
  WorkflowStatus,
} from '../../domain';

// The domain's `as const` status objects are the GraphQL enums: one definition, no copy.
registerEnumType(TaskStatus, {
  name: 'TaskStatus',
  description: 'Status of a task (a node of the DAG).',
  valuesConfig: {
    REGISTERING: { description: 'Bound, waiting for its upstream tasks to be DONE.' },
    QUEUED: {
      description: 'Every upstream task is DONE: waiting for a distributor to claim it (within the limits).',
    },
    INSTANTIATING: { description: 'Claimed by a distributor: an attempt (TaskInstance) was created.' },
    LAUNCHED: { description: 'The backend accepted the attempt (a Slurm job, a local process).' },
    RUNNING: { description: 'Its attempt is running on the execution host.' },
    DONE: { description: 'Finished successfully.' },
    ERROR_RECOVERABLE: { description: 'The attempt failed; it goes back to QUEUED while attempts remain.' },
    ADJUSTING_RESOURCES: {
      description:
        'The attempt hit a resource limit: resources are being raised (or the queue changed) before a retry.',
    },
    ERROR_FATAL: { description: 'Failed for good: no attempt left, stopped, or set so by a person.' },
  },
});
registerEnumType(TaskInstanceStatus, {
  name: 'TaskInstanceStatus',
  description: 'Status of one attempt of a task.',
  valuesConfig: {
    QUEUED: { description: 'Created, not yet handed to a backend.' },
    INSTANTIATED: { description: 'Claimed by a distributor, about to be submitted to its backend.' },
    LAUNCHED: { description: 'The backend accepted it (job id known).' },
    RUNNING: { description: 'The worker reported it running.' },
    DONE: { description: 'The command exited 0.' },
    ERROR: { description: 'The command exited non-zero.' },
    RESOURCE_ERROR: { description: 'Killed for exceeding its memory or runtime.' },
    UNKNOWN_ERROR: { description: 'Its heartbeat stopped and the backend could not say what happened.' },
    NO_DISTRIBUTOR_ID: { description: 'The backend refused the submission.' },
    KILL_SELF: { description: 'Asked to stop (workflow stopped or resumed cold, fail fast).' },
    ERROR_FATAL: { description: 'Ended by the server (given up, or its task failed for good meanwhile).' },
    TRIAGING: {
      description: 'Its heartbeat is overdue: the distributor is asking the backend what happened.',
    },
  },
});
registerEnumType(WorkflowRunStatus, {
  name: 'WorkflowRunStatus',
  description: 'Status of one run of a workflow.',
  valuesConfig: {
    REGISTERED: { description: 'Created, its tasks not yet bound.' },
    BOUND: { description: 'Its DAG is bound: ready to run.' },
    RUNNING: { description: 'Tasks are being scheduled and run.' },
    DONE: { description: 'Every task is DONE.' },
    ERROR: { description: 'No task can make progress and some failed for good.' },
    STOPPED: { description: 'Stopped by a person.' },
    COLD_RESUME: { description: 'Being replaced by a cold resume (running attempts are killed).' },
    HOT_RESUME: { description: 'Being replaced by a hot resume (running attempts may finish).' },
    TERMINATED: { description: 'Replaced by a newer run after a resume.' },
  },
});
registerEnumType(WorkflowStatus, {
  name: 'WorkflowStatus',
  description: "A workflow's status, derived from its newest run.",
  valuesConfig: {
    REGISTERING: { description: 'Being bound (its newest run is not running yet).' },
    QUEUED: { description: 'Bound, no task started yet.' },
    RUNNING: { description: 'Its newest run is running.' },
    DONE: { description: 'Every task is DONE.' },
    FAILED: { description: 'Its newest run ended with tasks failed for good.' },
    HALTED: { description: 'Stopped, or resumed away (a newer run replaces this one).' },
  },
});
registerEnumType(EntityType, {
  name: 'EntityType',
  description: 'What an audit event is about.',
  valuesConfig: {
    WORKFLOW: { description: 'A workflow (entityId is its id).' },
    WORKFLOW_RUN: { description: 'A run of a workflow.' },
    TASK: { description: 'A task.' },
    TASK_INSTANCE: { description: 'An attempt of a task.' },
  },
});

export const DagCollapse = { AUTO: 'AUTO', TEMPLATES: 'TEMPLATES', TASKS: 'TASKS' } as const;
export type DagCollapse = (typeof DagCollapse)[keyof typeof DagCollapse];
registerEnumType(DagCollapse, {
  name: 'DagCollapse',
  description: 'How to draw a DAG: one node per task, one per template, or AUTO (per template above a size).',
  valuesConfig: {
    AUTO: { description: 'One node per task for small DAGs, per template above collapseAbove tasks.' },
    TEMPLATES: { description: 'One node per template, with its status counts.' },
    TASKS: { description: 'One node per task.' },
  },
});

export { EntityType, TaskInstanceStatus, TaskStatus, WorkflowRunStatus, WorkflowStatus };

registerEnumType(Role, {
  name: 'Role',
  description:
    'What a token may do: USER submits and controls its own workflows, DISTRIBUTOR runs work, ADMIN all.',
  valuesConfig: {
    USER: { description: 'Submits, reads, and controls their own workflows.' },
    DISTRIBUTOR: { description: 'Claims and runs work, and reports on it.' },
    ADMIN: { description: 'Everything, for everyone.' },
  },
});
export { Role };

export const TaskOrderField = {
  ID: 'ID',
  NAME: 'NAME',
  STATUS: 'STATUS',
  ATTEMPTS: 'ATTEMPTS',
  RUNTIME: 'RUNTIME',
  MAX_RSS: 'MAX_RSS',
} as const;
export type TaskOrderField = (typeof TaskOrderField)[keyof typeof TaskOrderField];
registerEnumType(TaskOrderField, {
  name: 'TaskOrderField',
  description: 'What a list of tasks is sorted by; ties are broken by task id.',
  valuesConfig: {
    ID: { description: 'The task id (submission order).' },
    NAME: { description: "The task's name." },
    STATUS: { description: "The task's status, by name." },
    ATTEMPTS: { description: 'Task.numAttempts.' },
    RUNTIME: {
      description:
        "The wall-clock seconds of the task's last attempt (tasks without one sort as the smallest).",
    },
    MAX_RSS: {
      description: "The max RSS of the task's last attempt (tasks without one sort as the smallest).",
    },
  },
});

export const SortDirection = { ASC: 'ASC', DESC: 'DESC' } as const;
export type SortDirection = (typeof SortDirection)[keyof typeof SortDirection];
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Ascending or descending.',
  valuesConfig: { ASC: { description: 'Smallest first.' }, DESC: { description: 'Largest first.' } },
});
