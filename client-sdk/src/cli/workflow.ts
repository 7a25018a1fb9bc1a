import readline from 'node:readline/promises';
import { Command } from 'commander';
import { waitIfAsked } from './follow';
import { actOnEach, action, CliError, clientCommand, collectIds, EXIT, plain } from './output';

/** Asks a yes/no question on the terminal; anything but y/yes is no. */
async function confirm(question: string): Promise<boolean> {
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

/**
 * `jobmon workflow reset WORKFLOW… [--partial] [--yes] [--wait]` (Jobmon's workflow_reset): a workflow whose
 * run has ended starts a fresh run of every task. It reruns DONE work, so it asks first on a terminal (once
 * for all the ids) and needs --yes otherwise. Several ids are reset in turn (actOnEach).
 */
const resetCommand = clientCommand(
  'reset',
  'Run workflows again from scratch: every task (--partial: every task not DONE) back to REGISTERING with its attempts counted afresh, in a new run. Only once its run has ended (DONE, FAILED or HALTED); owner or admin',
)
  .argument('<workflows...>', 'workflow ids (each in turn)', collectIds)
  .option('--partial', 'keep DONE tasks as they are')
  .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
  .option('--wait', 'follow each new run live; exit 0 only if every workflow ends DONE')
  .action(
    action(
      async (
        context,
        workflowIds: string[],
        options: { partial?: boolean; yes?: boolean; wait?: boolean },
      ) => {
        const what = options.partial ? 'every task not DONE' : 'every task, DONE ones too,';
        const which = `workflow${workflowIds.length === 1 ? '' : 's'} ${workflowIds.join(', ')}`;
        if (!options.yes) {
          if (!process.stdin.isTTY)
            throw new CliError(
              `jobmon workflow reset reruns ${what} of ${which}: confirm with --yes`,
              EXIT.USAGE,
            );
          if (!(await confirm(`Reset ${which}: run ${what} again from scratch?`))) {
            process.stderr.write('Not reset.\n');
            return EXIT.USAGE;
          }
        }
        return actOnEach(context, workflowIds, async (workflowId) => {
          const state = await context.client.resetWorkflow(workflowId, { partial: options.partial });
          const reset = {
            workflowId: state.id,
            partial: Boolean(options.partial),
            workflowRunId: state.latestRun?.id ?? null,
            status: state.status,
            counts: plain(state.statusCounts),
          };
          if (!context.json)
            context.print(
              `workflow ${state.id} reset: run ${state.latestRun?.id ?? '-'} ${context.status(state.status)}, ${context.counts(state.statusCounts)}`,
            );
          return waitIfAsked(context, options.wait, state.id, state.latestRun?.id, reset);
        });
      },
    ),
  );

/** `jobmon workflow reset …`: what is done to a workflow as a whole. */
export const workflowCommand = new Command('workflow')
  .description('Workflow-wide actions: reset')
  .addCommand(resetCommand);
