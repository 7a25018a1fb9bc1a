import fs from 'node:fs';
import { JobmonClient, JobmonRequestError } from '@jobmon/client-sdk';

// Helpers shared by the end-to-end tests that speak the wire protocol to real servers: plain GraphQL
// strings, waiting on conditions (never on sleeps), and the runs' final views. The submissions
// themselves (shell scripts that leave traces) come from @jobmon/api/testing's fixtures.

export interface Gql {
  (query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** Plain query strings through the SDK's client. */
export function gqlClient(url: string): Gql {
  const jobmon = new JobmonClient({ serverUrl: url });
  return (query, variables) =>
    jobmon.query<Record<string, unknown>, Record<string, unknown>>(query, variables ?? {});
}

/** One typed request to the server at `url` (its base URL), through the SDK's client. */
export function graphqlAt<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  return new JobmonClient({ serverUrl: url }).query<T, Record<string, unknown>>(query, variables);
}

/** Polls `probe` every 100 ms until it returns a value; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const SUBMIT = `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`;

/** Submits a workflow; returns its id. */
export async function submitWorkflow(gql: Gql, input: Record<string, unknown>): Promise<string> {
  const data = (await gql(SUBMIT, { input })) as { submitWorkflow: { workflow: { id: string } } };
  return data.submitWorkflow.workflow.id;
}

const VIEW = `query($id: ID!) { workflow(id: $id) { status
  tasks(first: 1000) { nodes { key status instances { status exitCode errorKind errorMessage resources { memoryMb } } } } } }`;

export interface TaskView {
  key: string;
  status: string;
  instances: {
    status: string;
    exitCode: number | null;
    errorKind: string | null;
    errorMessage: string | null;
    resources: { memoryMb: number };
  }[];
}

export interface WorkflowView {
  status: string;
  tasks: Record<string, TaskView>;
}

/** A request error after which the same request may work later (server or database away). */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof JobmonRequestError && (error.unreachable || error.codes.includes('SERVICE_UNAVAILABLE'))
  );
}

export const TERMINAL_WORKFLOW_STATUSES = new Set(['DONE', 'FAILED', 'HALTED']);

/** The workflow now, with its tasks by key (at most 1000). */
export async function workflowView(gql: Gql, workflowId: string): Promise<WorkflowView> {
  const data = (await gql(VIEW, { id: workflowId })) as {
    workflow: { status: string; tasks: { nodes: TaskView[] } };
  };
  return {
    status: data.workflow.status,
    tasks: Object.fromEntries(data.workflow.tasks.nodes.map((task) => [task.key, task])),
  };
}

/** The workflow once it has ended (DONE, FAILED or HALTED), with its tasks by key. */
export async function finalView(gql: Gql, workflowId: string, timeoutMs = 45_000): Promise<WorkflowView> {
  return waitFor(
    `workflow ${workflowId} to end`,
    async () => {
      let view: WorkflowView;
      try {
        view = await workflowView(gql, workflowId);
      } catch (error) {
        if (isTransient(error)) return undefined; // the server is restarting, or its database: ask again
        throw error;
      }
      return TERMINAL_WORKFLOW_STATUSES.has(view.status) ? view : undefined;
    },
    timeoutMs,
  );
}

/** The non-empty lines of a file ([] when it does not exist). */
export function readLines(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}
