import { waitIfAsked } from './follow';
import { actOnEach, action, clientCommand, collectIds, plain } from './output';

/**
 * `jobmon resume WORKFLOW… [--hot] [--wait]`: a new run; DONE tasks never run again. Several ids are
 * resumed in turn (with --wait, each followed to its end before the next; actOnEach).
 */
export const resumeCommand = clientCommand(
  'resume',
  'Start a new run of workflows: COLD (default) kills what still runs and reruns every task not DONE; --hot lets running attempts finish',
)
  .argument('<workflows...>', 'workflow ids (each in turn)', collectIds)
  .option('--hot', 'hot resume: running attempts carry on into the new run')
  .option('--wait', 'follow each new run live; exit 0 only if every workflow ends DONE')
  .action(
    action(async (context, workflowIds: string[], options: { hot?: boolean; wait?: boolean }) =>
      actOnEach(context, workflowIds, async (workflowId) => {
        const mode = options.hot ? 'HOT' : 'COLD';
        const state = await context.client.resumeWorkflow(workflowId, mode);
        // During a cold resume's kills the latest run is still the old one (COLD_RESUME); the new one follows.
        const resumed = {
          workflowId: state.id,
          mode,
          workflowRunId: state.latestRun?.id ?? null,
          runStatus: state.latestRun?.status ?? null,
          status: state.status,
          counts: plain(state.statusCounts),
        };
        if (!context.json)
          context.print(
            `workflow ${state.id} resumed (${mode})` +
              (state.latestRun?.status === 'COLD_RESUME'
                ? ': killing what still runs, then a new run starts'
                : `: run ${state.latestRun?.id ?? '-'} ${context.status(state.latestRun?.status ?? state.status)}`),
          );
        return waitIfAsked(context, options.wait, state.id, state.latestRun?.id, resumed);
      }),
    ),
  );
