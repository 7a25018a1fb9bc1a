import { Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';

// The limits a client must respect, so that it can adapt instead of being refused (the SDK chunks a DAG
// larger than maxTasksPerSubmission; the CLI pages with maxPageSize).

@ObjectType({ description: "This server's request limits." })
export class ServerLimits {
  @Field(() => Int, {
    description: 'Largest DAG one submitWorkflow (or one addWorkflowTasks chunk) may carry.',
  })
  maxTasksPerSubmission!: number;
  @Field(() => Int, {
    description:
      'Most items (tasks plus upstream keys) one submitWorkflow or addWorkflowTasks request may carry: split larger DAGs by this count.',
  })
  maxItemsPerRequest!: number;
  @Field(() => Int, { description: 'Largest `first` of a connection.' })
  maxPageSize!: number;
}

@Resolver()
export class ServerLimitsResolver {
  @Query(() => ServerLimits, { description: "This server's request limits." })
  serverLimits(@Ctx() ctx: Context): ServerLimits {
    return {
      maxTasksPerSubmission: ctx.config.maxTasksPerSubmission,
      maxItemsPerRequest: ctx.config.maxItemsPerRequest,
      maxPageSize: ctx.config.maxPageSize,
    };
  }
}
