import { Role } from '../domain';
import { createApiToken } from '../services/auth.service';
import { testDialects } from '../testing/databases';
import { startTestServer, type TestServer } from '../testing/server';

// Identity (issue H §5), with tokens on: whose work a distributor runs, what an attempt's credential can
// do, that a workflow's identity includes its owner, how tokens die, and that a request's mutations are
// all authorized before any runs.

const SUBMIT = `mutation ($input: WorkflowSubmission!) {
  submitWorkflow(input: $input) { created workflow { id createdBy } }
}`;

let submissions = 0;
const submission = (workflowArgs = `w${++submissions}`) => ({
  tool: `identity-${process.pid}`,
  workflowArgs,
  taskTemplates: [{ name: 'hello', commandTemplate: 'echo {who}', nodeArgs: ['who'] }],
  tasks: [
    { key: 'a', template: 'hello', args: { who: 'a' } },
    { key: 'b', template: 'hello', args: { who: 'b' }, upstream: ['a'] },
  ],
});

describe.each(testDialects())('identity [%s]', (dialect) => {
  let server: TestServer;
  const tokens = {} as Record<'alice' | 'bob' | 'admin', string>;

  beforeAll(async () => {
    server = await startTestServer(dialect, { auth: true });
    const make = async (user: string, role: Role) => (await createApiToken(server.db, { user, role })).token;
    tokens.alice = await make('alice', Role.USER);
    tokens.bob = await make('bob', Role.USER);
    tokens.admin = await make('root', Role.ADMIN);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const as = <T = Record<string, unknown>>(
    token: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
  ) => server.graphql<T>(query, variables, { token });

  type Submitted = { submitWorkflow: { created: boolean; workflow: { id: string; createdBy: string } } };

  describe('a workflow is identified with its owner', () => {
    it("gives another user's identical submission a workflow of their own", async () => {
      const input = submission('same-for-everyone');
      const first = await as<Submitted>(tokens.alice, SUBMIT, { input });
      const again = await as<Submitted>(tokens.alice, SUBMIT, { input });
      const other = await as<Submitted>(tokens.bob, SUBMIT, { input });
      expect([first.errors, again.errors, other.errors]).toEqual([undefined, undefined, undefined]);
      // The owner's resubmission finds their workflow (that is how they resume) ...
      expect(again.data!.submitWorkflow).toEqual({
        created: false,
        workflow: first.data!.submitWorkflow.workflow,
      });
      // ... another user's creates their own, never returns alice's.
      expect(other.data!.submitWorkflow.created).toBe(true);
      expect(other.data!.submitWorkflow.workflow.createdBy).toBe('bob');
      expect(other.data!.submitWorkflow.workflow.id).not.toBe(first.data!.submitWorkflow.workflow.id);
    });

    it('does the same for workflows bound in chunks', async () => {
      const input = submission('chunked-for-everyone');
      const { tasks, ...rest } = input;
      const bind = async (token: string) => {
        const begun = await as<{ beginWorkflowBinding: { bindingId: string } }>(
          token,
          `mutation ($input: WorkflowBindingInput!) { beginWorkflowBinding(input: $input) { bindingId } }`,
          { input: rest },
        );
        expect(begun.errors).toBeUndefined();
        const bindingId = begun.data!.beginWorkflowBinding.bindingId;
        const added = await as(
          token,
          `mutation ($id: ID!, $tasks: [TaskInput!]!) { addWorkflowTasks(bindingId: $id, tasks: $tasks) { __typename } }`,
          { id: bindingId, tasks },
        );
        expect(added.errors).toBeUndefined();
        const committed = await as<{ commitWorkflowBinding: Submitted['submitWorkflow'] }>(
          token,
          `mutation ($id: ID!) { commitWorkflowBinding(bindingId: $id) { created workflow { id createdBy } } }`,
          { id: bindingId },
        );
        expect(committed.errors).toBeUndefined();
        return committed.data!.commitWorkflowBinding;
      };
      const byAlice = await bind(tokens.alice);
      const byBob = await bind(tokens.bob);
      expect(byAlice.created).toBe(true);
      expect(byBob).toMatchObject({ created: true, workflow: { createdBy: 'bob' } });
      expect(byBob.workflow.id).not.toBe(byAlice.workflow.id);
      // Submitting the same in one request finds each owner's own.
      const again = await as<Submitted>(tokens.bob, SUBMIT, { input });
      expect(again.data!.submitWorkflow).toEqual({ created: false, workflow: byBob.workflow });
    });
  });
});
