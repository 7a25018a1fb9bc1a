import { formatCount } from '@jobmon/core';
import { InvalidArgumentError } from 'commander';
import {
  CliUpdateTaskResourcesDocument,
  type ResourceScalesInput,
  type ResourcesInput,
  UpdateTemplateTaskResourcesDocument,
} from '../generated/graphql';
import { parseMemoryMb, parseRuntimeSeconds } from '../sdk';
import { action, clientCommand, collectIds, EXIT, formatMemory, formatSeconds, parseId } from './output';

/** A commander parser from an SDK parser: its error becomes a usage error. */
const usage =
  <T>(parse: (value: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

const positiveInt = usage((value: string) => {
  if (!/^[1-9]\d*$/.test(value)) throw new Error('expected a positive integer');
  return Number(value);
});

/** One factor (`0.5`: +50% after each resource failure) or Jobmon's list, a factor per failure (`0.5,1,2`). */
const scale = usage((value: string): number | number[] => {
  const factors = value.split(',').map((part) => {
    const number = Number(part);
    if (part.trim() === '' || !Number.isFinite(number) || number < 0)
      throw new Error(
        'expected a number >= 0 (0.5 = +50% after each resource failure) or a list of them, one per failure (0.5,1,2)',
      );
    return number;
  });
  return factors.length === 1 ? factors[0]! : factors;
});

interface Options {
  memory?: number;
  runtime?: number;
  cores?: number;
  queue?: string;
  memoryScale?: number | number[];
  runtimeScale?: number | number[];
  workflow?: string;
  template?: string;
}

/** The scales option's input: a list becomes the per-failure factors. */
const scalesInput = (options: Options): ResourceScalesInput | null => {
  const scales: ResourceScalesInput = {};
  for (const [measure, value] of [
    ['memory', options.memoryScale],
    ['runtime', options.runtimeScale],
  ] as const) {
    if (Array.isArray(value)) scales[`${measure}Factors`] = value;
    else if (value !== undefined) scales[measure] = value;
  }
  return Object.keys(scales).length ? scales : null;
};

/** What was set, in the options' terms: `memory 4G, runtime 2h, memory scales 0.5,1`. */
const describeChange = (resources: ResourcesInput, scales: ResourceScalesInput | null): string =>
  [
    resources.memoryMb != null ? `memory ${formatMemory(resources.memoryMb)}` : null,
    resources.runtimeSeconds != null ? `runtime ${formatSeconds(resources.runtimeSeconds)}` : null,
    resources.cores != null ? `cores ${resources.cores}` : null,
    resources.queue != null ? `queue ${resources.queue}` : null,
    ...(['memory', 'runtime'] as const).map((measure) => {
      const factors = scales?.[`${measure}Factors`];
      if (factors) return `${measure} scales ${factors.join(',')}`;
      const factor = scales?.[measure];
      return factor != null ? `${measure} scale ${factor}` : null;
    }),
  ]
    .filter((part) => part !== null)
    .join(', ');

/**
 * `jobmon set-resources TASK… --memory 8G --runtime 2h --cores 4`: what the next attempts ask for; or
 * `jobmon set-resources --workflow W --template NAME …` for every task of a template of a workflow.
 */
export const setResourcesCommand = clientCommand(
  'set-resources',
  "Change what tasks' next attempts ask for (the options given; the rest is kept): the tasks given, or " +
    'with --workflow and --template every task of that template in the workflow. Owner or admin',
)
  .argument('[tasks...]', 'task ids (or --workflow and --template)', collectIds)
  .option('--workflow <id>', 'with --template: the workflow whose template changes', parseId)
  .option(
    '--template <name>',
    'with --workflow: change every task of this template (one change, all or none)',
  )
  .option('--memory <size>', 'memory, e.g. 8G, 512M (MiB without a unit)', usage(parseMemoryMb))
  .option(
    '--runtime <time>',
    'runtime, e.g. 2h, 90m, 1h30m, HH:MM:SS (seconds without a unit)',
    usage(parseRuntimeSeconds),
  )
  .option('--cores <n>', 'cores', positiveInt)
  .option('--queue <name>', 'queue (partition)')
  .option(
    '--memory-scale <factors>',
    'raise memory by this after a memory failure (0.5 = +50%), or a factor per failure (0.5,1,2)',
    scale,
  )
  .option('--runtime-scale <factors>', 'as --memory-scale, after a timeout', scale)
  .action(
    action(async (context, taskIds: string[] = [], options: Options) => {
      const byTemplate = options.workflow !== undefined || options.template !== undefined;
      if (byTemplate && (options.workflow === undefined || options.template === undefined))
        throw new InvalidArgumentError('--workflow and --template go together');
      if (byTemplate && taskIds.length > 0)
        throw new InvalidArgumentError('give task ids or --workflow and --template, not both');
      if (!byTemplate && taskIds.length === 0)
        throw new InvalidArgumentError('give task ids, or --workflow and --template');
      const resources: ResourcesInput = {
        ...(options.memory !== undefined ? { memoryMb: options.memory } : {}),
        ...(options.runtime !== undefined ? { runtimeSeconds: options.runtime } : {}),
        ...(options.cores !== undefined ? { cores: options.cores } : {}),
        ...(options.queue !== undefined ? { queue: options.queue } : {}),
      };
      const resourceScales = scalesInput(options);
      if (Object.keys(resources).length === 0 && resourceScales === null)
        throw new InvalidArgumentError(
          'nothing to change: give --memory, --runtime, --cores, --queue, --memory-scale or --runtime-scale',
        );

      if (byTemplate) {
        const { updateTemplateTaskResources: changed } = await context.client.query(
          UpdateTemplateTaskResourcesDocument,
          { workflowId: options.workflow!, templateName: options.template!, resources, resourceScales },
        );
        if (context.json) {
          context.printJson({
            workflowId: changed.workflow.id,
            template: changed.templateName,
            taskCount: changed.taskCount,
            resources,
            resourceScales,
          });
          return EXIT.OK;
        }
        context.print(
          `workflow ${changed.workflow.id}, template ${changed.templateName}: ${formatCount(changed.taskCount, 'task')} changed; ` +
            `their next attempts ask for ${describeChange(resources, resourceScales)} (the rest as before)`,
        );
        return EXIT.OK;
      }

      const { updateTaskResources: tasks } = await context.client.query(CliUpdateTaskResourcesDocument, {
        taskIds,
        resources,
        resourceScales,
      });
      if (context.json) {
        context.printJson({ tasks });
        return EXIT.OK;
      }
      context.print(`${formatCount(tasks.length, 'task')} changed; their next attempts ask for:`);
      context.print(
        context.table(
          ['ID', 'KEY', 'STATUS', 'MEMORY', 'RUNTIME', 'CORES', 'QUEUE'],
          tasks.map((t) => [
            t.id,
            t.key,
            context.status(t.status),
            formatMemory(t.resources.memoryMb),
            formatSeconds(t.resources.runtimeSeconds),
            t.resources.cores ?? '-',
            t.resources.queue ?? '-',
          ]),
        ),
      );
      return EXIT.OK;
    }),
  );
