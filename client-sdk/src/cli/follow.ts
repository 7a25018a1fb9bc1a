import { progressBar, type RunResult } from '../sdk';
import { CliError, EXIT, type CliContext } from './output';

// `--wait` of submit and resume: follow the run live (a progress bar on stderr, redrawn on a terminal,
// plain lines otherwise; none with --json) until the workflow ends; Ctrl-C stops following, not the run.

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
export function exitCodeOf(result: RunResult): number {
  return result.status === 'DONE' ? EXIT.OK : EXIT.WORKFLOW_NOT_DONE;
}
