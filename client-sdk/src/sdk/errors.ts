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
