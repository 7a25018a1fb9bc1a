import { TAIL_BYTES } from '@jobmon/core';
import { CliTaskInstanceLogsDocument, CliWorkflowLogsDocument } from '../generated/graphql';
import {
  action,
  clientCommand,
  CliError,
  EXIT,
  parseId,
  parseNonNegativeInt,
  type CliContext,
} from './output';

/** Tasks per page of `logs --workflow` (their tails come along: pages stay small). */
const TASKS_PER_PAGE = 20;

/** The last `lines` lines of a tail (null: none stored). */
function lastLines(tail: string | null | undefined, lines: number): string[] | null {
  if (tail === null || tail === undefined) return null;
  const all = tail.replace(/\n$/, '').split('\n');
  return tail === '' ? [] : all.slice(Math.max(0, all.length - lines));
}

/**
 * `jobmon logs --workflow WORKFLOW [--lines N]`: every attempt of every task, with where its output files
 * are and the last N lines of each stored tail.
 */
async function workflowLogs(context: CliContext, workflowId: string, lines: number): Promise<number> {
  const attempts: Record<string, unknown>[] = [];
  let after: string | null | undefined;
  for (;;) {
    const { workflow } = await context.client.query(CliWorkflowLogsDocument, {
      id: workflowId,
      first: TASKS_PER_PAGE,
      after,
    });
    if (!workflow) throw new CliError(`workflow ${workflowId} not found`, EXIT.NOT_FOUND);
    for (const task of workflow.tasks.nodes)
      for (const instance of task.instances) {
        const stdout = lastLines(instance.stdoutTail, lines);
        const stderr = lastLines(instance.stderrTail, lines);
        if (context.json)
          attempts.push({
            instanceId: instance.id,
            taskId: task.id,
            taskName: task.name,
            attempt: instance.attempt,
            status: instance.status,
            hostname: instance.hostname ?? null,
            stdoutPath: instance.stdoutPath ?? null,
            stderrPath: instance.stderrPath ?? null,
            stdoutTail: stdout?.join('\n') ?? null,
            stderrTail: stderr?.join('\n') ?? null,
          });
        else {
          const host = instance.hostname ? ` on ${instance.hostname}` : '';
          context.print(
            context.colors.bold(
              `== task ${task.id} ${task.name}, attempt ${instance.attempt} (instance ${instance.id}) ${context.status(instance.status)}${host}`,
            ),
          );
          for (const [stream, path, tail] of [
            ['stdout', instance.stdoutPath, stdout],
            ['stderr', instance.stderrPath, stderr],
          ] as const) {
            context.print(context.colors.dim(`-- ${stream}: ${path ?? 'no file recorded'}`));
            for (const line of tail ?? []) context.print(line);
          }
        }
      }
    after = workflow.tasks.pageInfo.endCursor;
    if (!workflow.tasks.pageInfo.hasNextPage) break;
  }
  if (context.json) context.printJson({ workflowId, lines, attempts });
  return EXIT.OK;
}

/** `jobmon logs INSTANCE [--stderr]`: the stdout (or stderr) tail the worker stored for an attempt. */
export const logsCommand = clientCommand(
  'logs',
  "Print an attempt's stored stdout (or stderr) tail, or with --workflow every attempt's files and last lines; the full files stay on the execution host",
)
  .argument('[instance]', 'a task instance (attempt) id, as `jobmon task` lists them', parseId)
  .option('--stderr', 'stderr instead of stdout')
  .option('--workflow <id>', "every attempt of the workflow's tasks: output files and tails", parseId)
  .option(
    '--lines <n>',
    'with --workflow: the last N lines of each tail (default 10)',
    parseNonNegativeInt,
    10,
  )
  .action(
    action(
      async (
        context,
        instanceId: string | undefined,
        options: { stderr?: boolean; workflow?: string; lines: number },
      ) => {
        if (options.workflow !== undefined) {
          if (instanceId !== undefined)
            throw new CliError('give an attempt id or --workflow, not both', EXIT.USAGE);
          return workflowLogs(context, options.workflow, options.lines);
        }
        if (instanceId === undefined)
          throw new CliError('give an attempt id (jobmon task lists them) or --workflow ID', EXIT.USAGE);
        const { taskInstance: instance } = await context.client.query(CliTaskInstanceLogsDocument, {
          id: instanceId,
        });
        if (!instance) throw new CliError(`task instance ${instanceId} not found`, EXIT.NOT_FOUND);
        const stream = options.stderr ? 'stderr' : 'stdout';
        const tail = (options.stderr ? instance.stderrTail : instance.stdoutTail) ?? null;
        const path = (options.stderr ? instance.stderrPath : instance.stdoutPath) ?? null;
        // The worker keeps the last TAIL_BYTES of each stream: a tail that long may have lost its beginning.
        const truncated = tail !== null && Buffer.byteLength(tail) >= TAIL_BYTES - 4;
        if (context.json) {
          context.printJson({
            instanceId: instance.id,
            taskId: instance.task.id,
            attempt: instance.attempt,
            status: instance.status,
            stream,
            tail,
            truncated,
            path,
            hostname: instance.hostname ?? null,
          });
          return EXIT.OK;
        }
        const where = path
          ? `${path}${instance.hostname ? ` on ${instance.hostname}` : ''}`
          : 'no file recorded';
        const about = `${stream} of attempt ${instance.attempt} of task ${instance.task.id} (${instance.status})`;
        const note =
          tail === null
            ? `no ${about} stored yet; file: ${where}`
            : tail === ''
              ? `${about} is empty; file: ${where}`
              : truncated
                ? `the last ${TAIL_BYTES / 1024} KiB of ${about} (earlier output is cut); full file: ${where}`
                : `${about}; file: ${where}`;
        // The note goes to stderr so that `jobmon logs 7 > out.txt` holds the output only.
        process.stderr.write(`${context.colors.dim(`jobmon: ${note}`)}\n`);
        if (tail) process.stdout.write(tail.endsWith('\n') ? tail : `${tail}\n`);
        return EXIT.OK;
      },
    ),
  );
