import fs from 'node:fs';
import {
  afterSubmit,
  Workflow,
  type StatusCounts,
  type WorkflowStatus,
  type WorkflowSubmission,
} from '../sdk';
import { waitIfAsked } from './follow';
import { action, clientCommand, CliError, EXIT, plain } from './output';

/** `jobmon submit FILE.json [--wait]`: a WorkflowSubmission from a JSON file. */
export const submitCommand = clientCommand(
  'submit',
  'Submit a workflow from a JSON file (the WorkflowSubmission shape); the same tool, workflowArgs and tasks find the existing workflow',
)
  .argument('<file>', 'the submission, JSON (- for stdin)')
  .option('--wait', 'follow the run live; exit 0 only if the workflow ends DONE')
  .option(
    '--resume',
    "when the workflow exists and its last run FAILED or was HALTED, start a new run (Jobmon's run(resume=True))",
  )
  .action(
    action(async (context, file: string, options: { wait?: boolean; resume?: boolean }) => {
      const submission = readSubmission(file);
      // The SDK checks it first (missing arguments, cycles, …) and binds a large DAG in chunks.
      const workflow = Workflow.fromSubmission(submission);
      const found = await context.client.submitWorkflow(workflow.toSubmission());
      const { created } = found;
      let state: { id: string; status: WorkflowStatus; statusCounts: StatusCounts } = found.workflow;
      let runId = found.workflowRun.id;
      let resumed = false;
      if (afterSubmit(created, state.status, options.resume ?? false) === 'resume') {
        const after = await context.client.resumeWorkflow(state.id, 'COLD');
        state = after;
        runId = after.latestRun?.id ?? runId;
        resumed = true;
      }
      const submitted = {
        workflowId: state.id,
        workflowRunId: runId,
        created,
        resumed,
        status: state.status,
        counts: plain(state.statusCounts),
      };
      if (!context.json)
        context.print(
          `${created ? 'Submitted' : resumed ? 'Resumed existing' : 'Found existing'} workflow ${state.id} (run ${runId}): ` +
            `${context.status(state.status)}, ${context.counts(state.statusCounts)}`,
        );
      const acted = await waitIfAsked(context, options.wait, state.id, runId, submitted);
      if (context.json) context.printJson(acted.json);
      return acted.exitCode;
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
