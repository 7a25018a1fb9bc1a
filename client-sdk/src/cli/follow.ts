import { progressBar, type RunResult } from '../sdk';
import { CliError, EXIT, type ActedOn, type CliContext } from './output';

// `--wait` of submit, resume and workflow reset: follow the run live (a progress bar on stderr, redrawn on
// a terminal, plain lines otherwise; none with --json) until the workflow ends; Ctrl-C stops following,
// not the run.

export async function waitForRun(
  context: CliContext,
  workflowId: string,
  runId?: string,
): Promise<RunResult> {
  const bar = context.json ? undefined : progressBar({ label: `workflow ${workflowId}` });
  const abort = new AbortController();
  const onSigint = () =>
    abort.abort(
      new CliError(
        `stopped following workflow ${workflowId}; it goes on (see: jobmon status ${workflowId})`,
        EXIT.INTERRUPTED,
      ),
    );
  process.once('SIGINT', onSigint);
  try {
    return await context.client.followWorkflow(workflowId, {
      runId,
      onProgress: bar?.onProgress,
      signal: abort.signal,
    });
  } finally {
    bar?.stop();
    process.off('SIGINT', onSigint);
  }
}

/** 0 when the workflow ended DONE, 1 when it ended FAILED or HALTED. */
function exitCodeOf(result: RunResult): number {
  return result.status === 'DONE' ? EXIT.OK : EXIT.WORKFLOW_NOT_DONE;
}

/**
 * The end of submit, resume and workflow reset for one workflow (its own line already printed): without
 * --wait, `done` as it is (exit 0); with --wait, the run followed to its end, its final line printed, and
 * `done` with the final status, counts and failed tasks (exit 1 unless DONE).
 */
export async function waitIfAsked(
  context: CliContext,
  wait: boolean | undefined,
  workflowId: string,
  runId: string | undefined,
  done: Record<string, unknown>,
): Promise<ActedOn> {
  if (!wait) return { exitCode: EXIT.OK, json: done };
  const result = await waitForRun(context, workflowId, runId);
  if (!context.json)
    context.print(
      `workflow ${workflowId} ${context.status(result.status)}: ${context.counts(result.counts)}`,
    );
  return {
    exitCode: exitCodeOf(result),
    json: { ...done, status: result.status, counts: result.counts, failedTaskIds: result.failedTaskIds },
  };
}
