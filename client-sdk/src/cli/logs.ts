import { TAIL_BYTES } from '@jobmon/core';
import { CliTaskInstanceLogsDocument } from '../generated/graphql';
import { action, clientCommand, CliError, EXIT, parseId } from './output';

/** `jobmon logs INSTANCE [--stderr]`: the stdout (or stderr) tail the worker stored for an attempt. */
export const logsCommand = clientCommand(
  'logs',
  "Print an attempt's stored stdout (or stderr) tail; the full file stays on the execution host",
)
  .argument('<instance>', 'a task instance (attempt) id, as `jobmon task` lists them', parseId)
  .option('--stderr', 'stderr instead of stdout')
  .action(
    action(async (context, instanceId: string, options: { stderr?: boolean }) => {
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
    }),
  );
