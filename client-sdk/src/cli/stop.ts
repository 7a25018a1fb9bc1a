import { actOnEach, action, clientCommand, collectIds, EXIT, plain } from './output';

/**
 * `jobmon stop WORKFLOW…`: kills running attempts; unfinished tasks become ERROR_FATAL (reason stopped).
 * Several ids are stopped in turn (actOnEach).
 */
export const stopCommand = clientCommand(
  'stop',
  'Stop workflows: kill their running attempts; unfinished tasks end ERROR_FATAL (resume carries on later)',
)
  .argument('<workflows...>', 'workflow ids (each in turn)', collectIds)
  .option('--reason <text>', 'recorded in the audit log')
  .action(
    action(async (context, workflowIds: string[], options: { reason?: string }) =>
      actOnEach(context, workflowIds, async (workflowId) => {
        const state = await context.client.stopWorkflow(workflowId, options.reason);
        if (!context.json)
          context.print(
            `workflow ${state.id} stopped: ${context.status(state.status)}, ${context.counts(state.statusCounts)}`,
          );
        return {
          exitCode: EXIT.OK,
          json: { workflowId: state.id, status: state.status, counts: plain(state.statusCounts) },
        };
      }),
    ),
  );
