import { CliErrorsDocument } from '../generated/graphql';
import {
  action,
  clientCommand,
  CliError,
  EXIT,
  formatTime,
  parseId,
  parseNonNegativeInt,
  plain,
} from './output';

/** `jobmon errors WORKFLOW [--template T] [--first N]`: the workflow's failed attempts grouped by error. */
export const errorsCommand = clientCommand(
  'errors',
  "Show a workflow's failed attempts grouped by their error (messages that differ only in numbers, paths, ids or times are one), most attempts first",
)
  .argument('<workflow>', 'a workflow id', parseId)
  .option('--template <name>', "only this template's attempts")
  .option('--first <n>', 'at most this many clusters (default 20)', parseNonNegativeInt)
  .action(
    action(async (context, workflowId: string, options: { template?: string; first?: number }) => {
      const { workflow } = await context.client.query(CliErrorsDocument, {
        id: workflowId,
        templateName: options.template ?? null,
        first: options.first ?? 20,
      });
      if (!workflow) throw new CliError(`workflow ${workflowId} not found`, EXIT.NOT_FOUND);
      const clusters = plain(workflow.errorClusters);
      if (context.json) {
        context.printJson({ workflowId: workflow.id, clusters });
        return EXIT.OK;
      }
      if (clusters.length === 0) {
        context.print(
          `workflow ${workflow.id}: no failed attempt${options.template ? ` of template ${options.template}` : ''}`,
        );
        return EXIT.OK;
      }
      clusters.forEach((cluster, index) => {
        if (index > 0) context.print();
        context.print(
          context.colors.bold(
            `${cluster.attempts} attempt${cluster.attempts === 1 ? '' : 's'} of ${cluster.tasks} task${cluster.tasks === 1 ? '' : 's'}`,
          ) +
            ` · ${cluster.templateNames.join(', ')} · ${formatTime(cluster.firstAt)} – ${formatTime(cluster.lastAt)}` +
            ` · tasks ${cluster.sampleTaskIds.join(', ')}${cluster.tasks > cluster.sampleTaskIds.length ? ', …' : ''}`,
        );
        for (const line of cluster.representative.split('\n')) context.print(`  ${line}`);
      });
      return EXIT.OK;
    }),
  );
