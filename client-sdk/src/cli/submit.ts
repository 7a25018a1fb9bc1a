import fs from 'node:fs';
import { Workflow, type WorkflowSubmission } from '../sdk';
import { exitCodeOf, waitForRun } from './follow';
import { action, clientCommand, CliError, EXIT, plain } from './output';

/** `jobmon submit FILE.json [--wait]`: a WorkflowSubmission from a JSON file. */
export const submitCommand = clientCommand(
  'submit',
  'Submit a workflow from a JSON file (the WorkflowSubmission shape); the same tool, workflowArgs and tasks find the existing workflow',
)
  .argument('<file>', 'the submission, JSON (- for stdin)')
  .option('--wait', 'follow the run live; exit 0 only if the workflow ends DONE')
  .action(
    action(async (context, file: string, options: { wait?: boolean }) => {
      const submission = readSubmission(file);
      // The SDK checks it first (missing arguments, cycles, …) and binds a large DAG in chunks.
      const workflow = Workflow.fromSubmission(submission);
      const {
        created,
        workflow: state,
        workflowRun,
      } = await context.client.submitWorkflow(workflow.toSubmission());
      const submitted = {
        workflowId: state.id,
        workflowRunId: workflowRun.id,
        created,
        status: state.status,
        counts: plain(state.statusCounts),
      };
      if (!context.json)
        context.print(
          `${created ? 'Submitted' : 'Found existing'} workflow ${state.id} (run ${workflowRun.id}): ` +
            `${context.status(state.status)}, ${context.counts(state.statusCounts)}`,
        );
      if (!options.wait) {
        if (context.json) context.printJson(submitted);
        return EXIT.OK;
      }
      const result = await waitForRun(context, state.id, workflowRun.id);
      if (context.json) context.printJson({ ...submitted, status: result.status, counts: result.counts });
      else
        context.print(
          `workflow ${state.id} ${context.status(result.status)}: ${context.counts(result.counts)}`,
        );
      return exitCodeOf(result);
    }),
  );

function readSubmission(file: string): WorkflowSubmission {
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, EXIT.USAGE);
  }
  try {
    return JSON.parse(text) as WorkflowSubmission;
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`, EXIT.USAGE);
  }
}
