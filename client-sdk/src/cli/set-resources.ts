import { InvalidArgumentError } from 'commander';
import { CliUpdateTaskResourcesDocument, type ResourcesInput } from '../generated/graphql';
import { parseMemoryMb, parseRuntimeSeconds } from '../sdk';
import { action, clientCommand, EXIT, formatMemory, formatSeconds, parseId } from './output';

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

const scale = usage((value: string) => {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0)
    throw new Error('expected a number >= 0 (0.5 = +50% after each resource failure)');
  return number;
});

interface Options {
  memory?: number;
  runtime?: number;
  cores?: number;
  queue?: string;
  memoryScale?: number;
  runtimeScale?: number;
}

/** `jobmon set-resources TASK… --memory 8G --runtime 2h --cores 4`: what the next attempt asks for. */
export const setResourcesCommand = clientCommand(
  'set-resources',
  "Change what tasks' next attempts ask for (the options given; the rest is kept). Owner or admin",
)
  .argument('<tasks...>', 'task ids', (value: string, previous: string[] = []) => [
    ...previous,
    parseId(value),
  ])
  .option('--memory <size>', 'memory, e.g. 8G, 512M (MiB without a unit)', usage(parseMemoryMb))
  .option(
    '--runtime <time>',
    'runtime, e.g. 2h, 90m, 1h30m, HH:MM:SS (seconds without a unit)',
    usage(parseRuntimeSeconds),
  )
  .option('--cores <n>', 'cores', positiveInt)
  .option('--queue <name>', 'queue (partition)')
  .option('--memory-scale <factor>', 'raise memory by this after a memory failure (0.5 = +50%)', scale)
  .option('--runtime-scale <factor>', 'raise runtime by this after a timeout', scale)
  .action(
    action(async (context, taskIds: string[], options: Options) => {
      const resources: ResourcesInput = {
        ...(options.memory !== undefined ? { memoryMb: options.memory } : {}),
        ...(options.runtime !== undefined ? { runtimeSeconds: options.runtime } : {}),
        ...(options.cores !== undefined ? { cores: options.cores } : {}),
        ...(options.queue !== undefined ? { queue: options.queue } : {}),
      };
      const scales = {
        ...(options.memoryScale !== undefined ? { memory: options.memoryScale } : {}),
        ...(options.runtimeScale !== undefined ? { runtime: options.runtimeScale } : {}),
      };
      if (Object.keys(resources).length === 0 && Object.keys(scales).length === 0)
        throw new InvalidArgumentError(
          'nothing to change: give --memory, --runtime, --cores, --queue, --memory-scale or --runtime-scale',
        );
      const { updateTaskResources: tasks } = await context.client.query(CliUpdateTaskResourcesDocument, {
        taskIds,
        resources,
        resourceScales: Object.keys(scales).length ? scales : null,
      });
      if (context.json) {
        context.printJson({ tasks });
        return EXIT.OK;
      }
      context.print(
        `${tasks.length} task${tasks.length === 1 ? '' : 's'} changed; their next attempts ask for:`,
      );
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
