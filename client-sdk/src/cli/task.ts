import { CliTaskDocument, type CliResourcesFragment, type CliTaskQuery } from '../generated/graphql';
import {
  action,
  clientCommand,
  collectIds,
  formatMemory,
  formatSeconds,
  formatTime,
  plain,
  showEach,
  type CliContext,
} from './output';

/** `jobmon task ID…`: tasks, each with its attempts, errors, resources and usage. */
export const taskCommand = clientCommand(
  'task',
  'Show a task: its command, resources, edges and every attempt (errors, usage, log paths)',
)
  .argument('<tasks...>', 'task ids', collectIds)
  .action(
    action(async (context, taskIds: string[]) =>
      showEach(
        context,
        'task',
        taskIds,
        async (id) => (await context.client.query(CliTaskDocument, { id })).task,
        {
          json: (task) => {
            const { template, ...rest } = plain(task);
            return { ...rest, template: template.name };
          },
          human: (task) => showTask(context, task),
        },
      ),
    ),
  );

function showTask(context: CliContext, task: NonNullable<CliTaskQuery['task']>): void {
  const edges = (tasks: { id: string; key: string; status: string }[]) =>
    tasks.length ? tasks.map((t) => `${t.key} (${t.id}, ${context.status(t.status)})`).join(', ') : '-';
  context.print(
    context.fields([
      ['task', `${task.id} ${task.name}`],
      ['key', task.key],
      ['workflow', `${task.workflow.id}${task.workflow.name ? ` ${task.workflow.name}` : ''}`],
      ['template', task.template.name],
      ['status', `${context.status(task.status)} since ${formatTime(task.statusUpdatedAt)}`],
      ['attempts', `${task.numAttempts} of ${task.maxAttempts}`],
      ['command', task.command],
      ['args', JSON.stringify(task.args)],
      ['resources', resources(task.resources)],
      ['fallback queues', task.fallbackQueues.length ? task.fallbackQueues.join(', ') : undefined],
      ['upstream', edges(task.upstream)],
      ['downstream', edges(task.downstream)],
    ]),
  );
  if (task.instances.length === 0) {
    context.print('\nNo attempts yet.');
    return;
  }
  context.print();
  context.print(
    context.table(
      ['#', 'INSTANCE', 'STATUS', 'EXIT', 'HOST', 'JOB', 'GIVEN', 'MAX RSS', 'WALL', 'CPU', 'STARTED (UTC)'],
      task.instances.map((i) => [
        i.attempt,
        i.id,
        context.status(i.status),
        i.exitCode ?? '-',
        i.hostname ?? '-',
        i.backendJobId ?? '-',
        resources(i.resources),
        formatMemory(i.usage.maxRssMb),
        formatSeconds(i.usage.wallSeconds),
        formatSeconds(i.usage.cpuSeconds),
        formatTime(i.startedAt),
      ]),
    ),
  );
  for (const i of task.instances) {
    if (i.errorKind || i.errorMessage)
      context.print(
        `${context.colors.red(`attempt ${i.attempt}:`)} ${[i.errorKind, i.errorMessage].filter(Boolean).join(': ')}`,
      );
  }
  const last = task.instances.at(-1)!;
  context.print(
    context.colors.dim(`logs of the last attempt: jobmon logs ${last.id} [--stderr]`) +
      (last.stdoutPath ? context.colors.dim(` (files: ${last.stdoutPath}, ${last.stderrPath ?? '-'})`) : ''),
  );
}

/** `4G, 2 cores, 1h 00m, queue all` */
function resources(r: CliResourcesFragment): string {
  const parts = [
    r.memoryMb != null ? formatMemory(r.memoryMb) : null,
    r.cores != null ? `${r.cores} core${r.cores === 1 ? '' : 's'}` : null,
    r.runtimeSeconds != null ? formatSeconds(r.runtimeSeconds) : null,
    r.queue ? `queue ${r.queue}` : null,
    r.extra && Object.keys(r.extra).length ? JSON.stringify(r.extra) : null,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : '-';
}
