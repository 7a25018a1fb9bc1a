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
registerEnumType(TaskStatus, { name: 'TaskStatus', description: 'Status of a task (a node of the DAG).' });
registerEnumType(TaskInstanceStatus, {
  name: 'TaskInstanceStatus',
  description: 'Status of one attempt of a task.',
});
registerEnumType(WorkflowRunStatus, {
  name: 'WorkflowRunStatus',
  description: 'Status of one run of a workflow.',
});
registerEnumType(WorkflowStatus, {
  name: 'WorkflowStatus',
  description: "A workflow's status, derived from its newest run.",
});
registerEnumType(EntityType, { name: 'EntityType', description: 'What an audit event is about.' });

export const DagCollapse = { AUTO: 'AUTO', TEMPLATES: 'TEMPLATES', TASKS: 'TASKS' } as const;
export type DagCollapse = (typeof DagCollapse)[keyof typeof DagCollapse];
registerEnumType(DagCollapse, {
  name: 'DagCollapse',
  description: 'How to draw a DAG: one node per task, one per template, or AUTO (per template above a size).',
});

export { EntityType, TaskInstanceStatus, TaskStatus, WorkflowRunStatus, WorkflowStatus };

registerEnumType(Role, {
  name: 'Role',
  description:
    'What a token may do: USER submits and controls its own workflows, DISTRIBUTOR runs work, ADMIN all.',
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
registerEnumType(SortDirection, { name: 'SortDirection', description: 'Ascending or descending.' });
