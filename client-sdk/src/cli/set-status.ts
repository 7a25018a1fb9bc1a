import { InvalidArgumentError } from 'commander';
import { CliSetTaskStatusDocument } from '../generated/graphql';
import { action, clientCommand, EXIT, isTaskStatus, parseId } from './output';

/** `jobmon set-status TASK… STATUS [--recursive]`: a person's audited override of task statuses. */
export const setStatusCommand = clientCommand(
  'set-status',
  'Override task statuses (audited): DONE lets the downstream run, QUEUED reruns, ERROR_FATAL gives up',
)
  .argument('<tasks-and-status...>', 'one or more task ids, then the status')
  .option('--recursive', 'apply to the downstream subtree too')
  .action(
    action(async (context, words: string[], options: { recursive?: boolean }) => {
      const status = words.at(-1)!.toUpperCase();
      const ids = words.slice(0, -1);
      if (ids.length === 0) throw new InvalidArgumentError('expected task ids and then a status');
      if (!isTaskStatus(status)) throw new InvalidArgumentError(`"${words.at(-1)}" is not a task status`);
      const taskIds = ids.map((id) => parseId(id));
      const { setTaskStatus: tasks } = await context.client.query(CliSetTaskStatusDocument, {
        taskIds,
        status,
        recursive: Boolean(options.recursive),
      });
      const rows = tasks.map((t) => ({ id: t.id, key: t.key, status: t.status, workflowId: t.workflow.id }));
      if (context.json) {
        context.printJson({ status, recursive: Boolean(options.recursive), tasks: rows });
        return EXIT.OK;
      }
      context.print(`${rows.length} task${rows.length === 1 ? '' : 's'} set to ${context.status(status)}:`);
      context.print(
        context.table(
          ['ID', 'KEY', 'STATUS', 'WORKFLOW'],
          rows.map((t) => [t.id, t.key, context.status(t.status), t.workflowId]),
        ),
      );
      return EXIT.OK;
    }),
  );
