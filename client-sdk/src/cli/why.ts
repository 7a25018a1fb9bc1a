import { CliWhyDocument } from '../generated/graphql';
import { action, clientCommand, collectIds, plain, showEach } from './output';

/** `jobmon why TASK…`: why each task is waiting (Task.blockedBy). */
export const whyCommand = clientCommand(
  'why',
  'Say why a task is waiting: upstream not done, a workflow or template limit, no distributor for its queue, the backend holding it, or a workflow that is not running',
)
  .argument('<tasks...>', 'task ids', collectIds)
  .action(
    action(async (context, taskIds: string[]) =>
      showEach(
        context,
        'task',
        taskIds,
        async (id) => (await context.client.query(CliWhyDocument, { id })).task,
        {
          json: (task) => plain(task),
          human: (task) => {
            const head = `task ${task.id} ${task.name} (${context.status(task.status)})`;
            if (task.blockedBy.length === 0) {
              context.print(`${head}: not waiting on anything`);
              return;
            }
            context.print(`${head} waits:`);
            for (const reason of task.blockedBy)
              context.print(`  ${context.colors.yellow(reason.kind)}: ${reason.message}`);
          },
        },
      ),
    ),
  );
