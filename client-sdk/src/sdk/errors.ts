import type { StatusCounts } from './client';
/** A workflow definition the SDK refuses before sending anything (a missing argument, a cycle, …). */
export class WorkflowDefinitionError extends Error {
  constructor(
    message: string,
    /** Every problem found, each naming the task or template it is about. */
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'WorkflowDefinitionError';
  }
}

/**
 * `run({ timeoutSeconds })` stopped following before the workflow ended (Jobmon's seconds_until_timeout).
 * The run itself goes on on the server: follow it again later (`jobmon status ID`, `client.followWorkflow`),
 * or stop it. Carries the state the workflow was in when following stopped.
 */
export class WorkflowRunTimeoutError extends Error {
  constructor(
    readonly workflowId: string,
    readonly timeoutSeconds: number,
    /** The workflow's status and task counts when following stopped. */
    readonly status: string,
    readonly counts: StatusCounts,
    /** Since run() was called (ms). */
    readonly elapsedMs: number,
  ) {
    super(
      `workflow ${workflowId} did not end within ${timeoutSeconds} s (it is ${status}); ` +
        'it goes on on the server: follow it again or stop it',
    );
    this.name = 'WorkflowRunTimeoutError';
  }
}
