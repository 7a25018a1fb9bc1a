import { InvalidArgumentError } from 'commander';
import { CliSetConcurrencyDocument } from '../generated/graphql';
import { action, clientCommand, EXIT, parseId, parseNonNegativeInt } from './output';

/** A limit, or `none` (a template without a limit of its own). */
function parseLimit(value: string): number | null {
  if (value === 'none') return null;
  try {
    return parseNonNegativeInt(value);
  } catch {
    throw new InvalidArgumentError('expected a non-negative integer, or none (with --template)');
  }
}

/** `jobmon concurrency WORKFLOW N [--template T]`: changes a limit while the workflow runs. */
export const concurrencyCommand = clientCommand(
  'concurrency',
  "Change how many tasks of a workflow (or of one of its templates) may run at once; 0 pauses, 'none' lifts a template's limit",
)
  .argument('<workflow>', 'a workflow id', parseId)
  .argument('<limit>', 'a non-negative integer (or none, with --template)', parseLimit)
  .option('--template <name>', "the limit of this template's tasks instead of the workflow's")
  .action(
    action(async (context, workflowId: string, limit: number | null, options: { template?: string }) => {
      if (limit === null && !options.template)
        throw new InvalidArgumentError('a workflow limit must be a number ("none" is for --template)');
      const { setMaxConcurrentlyRunning: workflow } = await context.client.query(CliSetConcurrencyDocument, {
        workflowId,
        limit,
        templateName: options.template,
      });
      const templates = workflow.taskTemplates.map((t) => ({
        name: t.name,
        maxConcurrentlyRunning: t.maxConcurrentlyRunning ?? null,
      }));
      if (context.json) {
        context.printJson({
          workflowId: workflow.id,
          maxConcurrentlyRunning: workflow.maxConcurrentlyRunning,
          templates,
        });
        return EXIT.OK;
      }
      if (options.template)
        context.print(
          `workflow ${workflow.id}, template ${options.template}: at most ${limit ?? 'unlimited (the workflow limit applies)'} at once`,
        );
      else
        context.print(
          `workflow ${workflow.id}: at most ${workflow.maxConcurrentlyRunning} at once${workflow.maxConcurrentlyRunning === 0 ? ' (paused)' : ''}`,
        );
      return EXIT.OK;
    }),
  );
