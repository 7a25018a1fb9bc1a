import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { AuditEventResolver } from './resolvers/audit-event.resolver';
import { AuthResolver } from './resolvers/auth.resolver';
import { BindingResolver } from './resolvers/binding.resolver';
import { DistributorResolver } from './resolvers/distributor.resolver';
import { ReportResolver } from './resolvers/report.resolver';
import { ServerLimitsResolver } from './resolvers/server-limits.resolver';
import { SubmissionResolver } from './resolvers/submission.resolver';
import { SubscriptionResolver } from './resolvers/subscription.resolver';
import { TaskInstanceResolver } from './resolvers/task-instance.resolver';
import { TaskResolver } from './resolvers/task.resolver';
import {
  TaskBlockedByResolver,
  TaskInstanceBackendResolver,
  WorkflowErrorsResolver,
} from './resolvers/investigate.resolver';
import { ToolResolver } from './resolvers/tool.resolver';
import { WorkflowRunResolver } from './resolvers/workflow-run.resolver';
import { WorkflowResolver } from './resolvers/workflow.resolver';
import { WorkflowControlResolver } from './resolvers/workflow-control.resolver';
import { TaskTemplateUsageResolver, WorkflowUsageResolver } from './resolvers/usage.resolver';

let schema: GraphQLSchema | undefined;

/**
 * type-graphql insists on a PubSub once a schema has subscriptions, for its `topics` form; every
 * subscription here brings its own `subscribe` (streams from the event hub), so this one is never used.
 */
const noTopicPubSub = {
  publish(): void {
    throw new Error('Subscriptions use their own streams (api/src/events), not type-graphql topics');
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error('Subscriptions use their own streams (api/src/events), not type-graphql topics');
  },
};

// type-graphql gives the root types no description; these are the first lines of GraphiQL's docs.
const ROOT_DESCRIPTIONS = {
  Query: 'Reads: workflows, tasks, attempts, their history and statistics, and saved reports.',
  Mutation: 'Changes: submit and control workflows, the distributor protocol, tokens, saved reports.',
  Subscription: 'Live changes, over graphql-ws at /graphql.',
} as const;

function describeRootTypes(built: GraphQLSchema): GraphQLSchema {
  for (const type of [built.getQueryType(), built.getMutationType(), built.getSubscriptionType()])
    if (type && !type.description)
      (type as { description?: string | null }).description =
        ROOT_DESCRIPTIONS[type.name as keyof typeof ROOT_DESCRIPTIONS];
  return built;
}

/** The executable schema, built once from the type-graphql classes. */
export function getSchema(): GraphQLSchema {
  schema ??= describeRootTypes(
    buildSchemaSync({
      resolvers: [
        WorkflowResolver,
        WorkflowUsageResolver,
        TaskTemplateUsageResolver,
        WorkflowRunResolver,
        TaskResolver,
        TaskInstanceResolver,
        ToolResolver,
        AuditEventResolver,
        SubmissionResolver,
        BindingResolver,
        DistributorResolver,
        WorkflowControlResolver,
        SubscriptionResolver,
        AuthResolver,
        ServerLimitsResolver,
        WorkflowErrorsResolver,
        TaskBlockedByResolver,
        TaskInstanceBackendResolver,
        ReportResolver,
      ],
      pubSub: noTopicPubSub,
      validate: false,
      emitSchemaFile: false,
    }),
  );
  return schema;
}

/** The SDL committed as /schema.graphql (sorted, so that its diff shows real changes only). */
export function printSchemaSdl(): string {
  return `${printSchema(lexicographicSortSchema(getSchema()))}\n`;
}
