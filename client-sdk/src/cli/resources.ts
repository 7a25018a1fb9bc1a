import { formatCount } from '@jobmon/core';
import { InvalidArgumentError } from 'commander';
import { action, CliError, clientCommand, EXIT, formatMemory, formatSeconds, plain } from './output';
import { yaml } from '../sdk/on-first-use';

function parsePercentile(value: string): number {
  const p = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || p <= 0 || p > 100)
    throw new InvalidArgumentError('expected a percentile in (0, 100]');
  return p;
}

/** `1280M`, `5G`: memory as template resources take it (whole MiB, whole GiB when exact). */
const memorySpec = (mb: number) => (mb % 1024 === 0 ? `${mb / 1024}G` : `${mb}M`);
/** `12m`, `2h`, `1h30m`: runtime as template resources take it (suggestions are whole minutes). */
function runtimeSpec(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (!hours) return `${minutes}m`;
  return minutes % 60 ? `${hours}h${minutes % 60}m` : `${hours}h`;
}

/** `jobmon resources TEMPLATE --tool NAME [--percentile 95] [--yaml]`: suggested resources from past usage. */
export const resourcesCommand = clientCommand(
  'resources',
  "Usage percentiles of a task template across its tool's workflows, and resources suggested from them",
)
  .argument('<template>', 'task template name')
  .requiredOption('--tool <name>', 'the tool the template belongs to')
  .option('--percentile <p>', 'percentile the suggestion is based on (default 95)', parsePercentile, 95)
  .option('--yaml', 'print only a YAML block usable as the template resources')
  .action(
    action(
      async (context, template: string, options: { tool: string; percentile: number; yaml?: boolean }) => {
        const found = await context.client.templateResources(options.tool, template, {
          percentile: options.percentile,
        });
        if (!found)
          throw new CliError(`task template ${template} of tool ${options.tool} not found`, EXIT.NOT_FOUND);
        const { usage, resourceSuggestion: suggestion } = found;
        if (options.yaml) {
          const resources: Record<string, string> = {};
          if (suggestion.memoryMb !== null) resources.memory = memorySpec(suggestion.memoryMb);
          if (suggestion.runtimeSeconds !== null) resources.runtime = runtimeSpec(suggestion.runtimeSeconds);
          const header =
            `# jobmon resources ${template} --tool ${options.tool}: from ${formatCount(suggestion.basedOnAttempts, 'DONE attempt')}\n` +
            `# (p${suggestion.percentile} of max RSS and runtime × ${suggestion.headroom}, rounded up:\n` +
            '# memory to 256M steps up to 4G then 1G, runtime to whole minutes)\n';
          context.print(header + yaml().stringify({ task_template_resources: { [template]: resources } }));
          return suggestion.basedOnAttempts ? EXIT.OK : EXIT.NOT_FOUND;
        }
        if (context.json) {
          context.printJson(plain({ template: found.name, tool: options.tool, usage, suggestion }));
          return EXIT.OK;
        }
        const head = ['', ...usage.maxRssMb.map((v) => `p${v.percentile}`)];
        context.print(
          `${found.name} (tool ${options.tool}): ${formatCount(usage.doneAttempts, 'DONE attempt')} in ${formatCount(usage.workflows, 'workflow')}; ` +
            `percentiles over the latest ${usage.sampleSize} (${usage.measuredMaxRss} with a max RSS)`,
        );
        context.print(
          context.table(head, [
            ['max RSS', ...usage.maxRssMb.map((v) => formatMemory(v.value))],
            ['requested memory', ...usage.requestedMemoryMb.map((v) => formatMemory(v.value))],
            ['runtime', ...usage.runtimeSeconds.map((v) => formatSeconds(v.value))],
            ['requested runtime', ...usage.requestedRuntimeSeconds.map((v) => formatSeconds(v.value))],
          ]),
        );
        context.print(
          `suggested (p${suggestion.percentile} × ${suggestion.headroom}, rounded up): memory ${formatMemory(
            suggestion.memoryMb,
          )}, runtime ${formatSeconds(suggestion.runtimeSeconds)}`,
        );
        return EXIT.OK;
      },
    ),
  );
