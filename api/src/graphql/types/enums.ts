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
