import { action, clientCommand, EXIT, parseId, plain } from './output';

/** `jobmon stop WORKFLOW`: kills running attempts; unfinished tasks become ERROR_FATAL (reason stopped). */
export const stopCommand = clientCommand(
  'stop',
  'Stop a workflow: kill its running attempts; unfinished tasks end ERROR_FATAL (resume carries on later)',
)
  .argument('<workflow>', 'a workflow id', parseId)
  .option('--reason <text>', 'recorded in the audit log')
  .action(
    action(async (context, workflowId: string, options: { reason?: string }) => {
      const state = await context.client.stopWorkflow(workflowId, options.reason);
      if (context.json)
        context.printJson({ workflowId: state.id, status: state.status, counts: plain(state.statusCounts) });
      else
        context.print(
          `workflow ${state.id} stopped: ${context.status(state.status)}, ${context.counts(state.statusCounts)}`,
        );
      return EXIT.OK;
    }),
  );
