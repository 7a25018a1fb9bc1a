import { CliWorkflowTasksDocument, type CliWorkflowTasksQuery, type TaskStatus } from '../generated/graphql';
import {
  action,
  clientCommand,
  CliError,
  EXIT,
  parseAttribute,
  parseId,
  parseNonNegativeInt,
  parseTaskStatuses,
  plain,
} from './output';

type TaskRow = NonNullable<CliWorkflowTasksQuery['workflow']>['tasks']['nodes'][number];

/** `jobmon tasks WORKFLOW [--status S] [--retrying]`: a workflow's tasks, page by page from the server. */
export const tasksCommand = clientCommand('tasks', "List a workflow's tasks (in id order)")
  .argument('<workflow>', 'a workflow id', parseId)
  .option('--status <statuses>', 'only these task statuses (comma-separated, repeatable)', parseTaskStatuses)
  .option('--retrying', 'only tasks on a retry (an earlier attempt failed; in whatever status)')
  .option('--template <name>', 'only tasks of this template')
  .option('--search <text>', 'only tasks whose name contains this')
  .option('--attribute <key=value>', 'only tasks with this attribute (repeatable: every one)', parseAttribute)
  .option('--limit <n>', 'at most this many (default: all)', parseNonNegativeInt)
  .action(
    action(
      async (
        context,
        workflowId: string,
        options: {
          status?: TaskStatus[];
          retrying?: boolean;
          template?: string;
          search?: string;
          attribute?: Record<string, string>;
          limit?: number;
        },
      ) => {
        const filter = {
          status: options.status,
          retrying: options.retrying,
          template: options.template,
          search: options.search,
          attributes: options.attribute,
        };
        const { maxPageSize } = await context.client.serverLimits();
        const tasks: TaskRow[] = [];
        let totalCount = 0;
        let after: string | null | undefined;
        for (;;) {
          const wanted = options.limit === undefined ? maxPageSize : options.limit - tasks.length;
          const { workflow } = await context.client.query(CliWorkflowTasksDocument, {
            id: workflowId,
            first: Math.max(0, Math.min(maxPageSize, wanted)),
            after,
            filter,
          });
          if (!workflow) throw new CliError(`workflow ${workflowId} not found`, EXIT.NOT_FOUND);
          tasks.push(...workflow.tasks.nodes);
          totalCount = workflow.tasks.totalCount;
          after = workflow.tasks.pageInfo.endCursor;
          if (!workflow.tasks.pageInfo.hasNextPage || tasks.length >= (options.limit ?? Infinity)) break;
        }
        const rows = tasks.map(({ template, ...task }) => ({ ...plain(task), template: template.name }));
        if (context.json) {
          context.printJson({ workflowId, totalCount, tasks: rows });
          return EXIT.OK;
        }
        if (rows.length === 0) {
          context.print('No tasks.');
          return EXIT.OK;
        }
        context.print(
          context.table(
            ['ID', 'KEY', 'TEMPLATE', 'STATUS', 'ATTEMPTS'],
            rows.map((t) => [
              t.id,
              t.key,
              t.template,
              context.status(t.status),
              `${t.numAttempts}/${t.maxAttempts}`,
            ]),
          ),
        );
        if (totalCount > rows.length) context.print(context.colors.dim(`${rows.length} of ${totalCount}`));
        return EXIT.OK;
      },
    ),
  );
