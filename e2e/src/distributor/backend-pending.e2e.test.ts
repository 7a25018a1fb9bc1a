import { loadConfig, startServer, type JobmonServer } from '@jobmon/api';
import { createTestDatabase, submission, task, testDialects, type TestDatabase } from '@jobmon/api/testing';
import {
  startDistributor,
  type Backend,
  type BackendEvents,
  type ClaimedInstance,
  type Distributor,
  type JobRef,
} from '@jobmon/distributor';
import { MAX_IDS_PER_DISTRIBUTOR_REQUEST } from '@jobmon/core';
import { graphqlAt as gql, waitFor } from '../testing/e2e';

// A backend's own pending reason (Slurm's squeue %r) travels with the distributor's heartbeat to the
// server, where Task.blockedBy shows it (BACKEND_PENDING) while the attempt is LAUNCHED: a distributor
// with a backend double that accepts jobs, never starts them and says why, on SQLite and MySQL. Also a
// distributor holding more attempts than one request may list: its heartbeat goes in several requests.

jest.setTimeout(120_000);

/** Accepts every job (LAUNCHED) and holds it pending for `reasons` (instance id → reason, changed by the test). */
class HoldingBackend implements Backend {
  readonly kind = 'holding';
  readonly queues = [];
  readonly reasons = new Map<string, string>();
  private events: BackendEvents | undefined;
  readonly held = new Set<string>();

  constructor(readonly capacity = 10) {}

  freeSlots(): number {
    return this.capacity - this.held.size;
  }
  start(events: BackendEvents): void {
    this.events = events;
  }
  async submit(instances: readonly ClaimedInstance[]) {
    return instances.map((instance) => {
      this.held.add(instance.id);
      return { id: instance.id, accepted: true as const, backendJobId: `job-${instance.id}` };
    });
  }
  async status(jobs: readonly JobRef[]) {
    return new Map(jobs.map((job) => [job.id, { state: 'PENDING' as const }]));
  }
  async cancel(jobs: readonly JobRef[]): Promise<void> {
    for (const job of jobs) {
      this.held.delete(job.id);
      this.events?.finished({ id: job.id, outcome: 'KILLED', errorMessage: 'killed on request' });
    }
  }
  async adopt(instances: readonly ClaimedInstance[]) {
    return instances.map((instance) => ({ id: instance.id, state: 'NOT_STARTED' as const }));
  }
  pendingReasons(): ReadonlyMap<string, string> {
    return this.reasons;
  }
  async shutdown(): Promise<void> {}
}

type Blocked = { task: { status: string; blockedBy: { kind: string; message: string }[] } };
const BLOCKED = `query ($id: ID!) { task(id: $id) { status blockedBy { kind message } } }`;

describe.each(testDialects())('the backend’s pending reason in Task.blockedBy [%s]', (dialect) => {
  let database: TestDatabase | undefined;
  let server: JobmonServer | undefined;
  let distributor: Distributor | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startServer({
      ...loadConfig({ JOBMON_AUTH: 'off' }),
      databaseUrl: database.url,
      port: 0,
    });
  });
  afterAll(async () => {
    await distributor?.stop();
    await server?.stop();
    await database?.drop();
  });

  it('shows the reason while LAUNCHED, follows its changes, and clears it', async () => {
    const { submitWorkflow } = await gql<{ submitWorkflow: { workflow: { id: string } } }>(
      server!.url,
      `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`,
      { input: submission([task('held')], { tool: 'pending-e2e' }) },
    );
    const backend = new HoldingBackend();
    distributor = startDistributor({
      serverUrl: server!.url,
      backend,
      name: `pending-e2e-${dialect}-${process.pid}`,
      pollIntervalMs: 100,
      heartbeatSeconds: 0.2,
    });
    await distributor.ready;
    const { workflow } = await gql<{
      workflow: { tasks: { nodes: { id: string; instances: { id: string }[] }[] } };
    }>(server!.url, `query ($id: ID!) { workflow(id: $id) { tasks { nodes { id instances { id } } } } }`, {
      id: submitWorkflow.workflow.id,
    });
    const taskId = workflow.tasks.nodes[0]!.id;
    const instanceId = await waitFor('the attempt', async () => {
      const { task } = await gql<{ task: { status: string; instances: { id: string }[] } }>(
        server!.url,
        `query ($id: ID!) { task(id: $id) { status instances { id } } }`,
        { id: taskId },
      );
      return task.status === 'LAUNCHED' ? task.instances[0]!.id : undefined;
    });
    // Launched, and the backend gives no reason yet: nothing to say.
    expect((await gql<Blocked>(server!.url, BLOCKED, { id: taskId })).task.blockedBy).toEqual([]);

    const reasonShown = (reason: string | null) =>
      waitFor(`blockedBy to say ${reason}`, async () => {
        const { task } = await gql<Blocked>(server!.url, BLOCKED, { id: taskId });
        const shown = task.blockedBy.find((b) => b.kind === 'BACKEND_PENDING')?.message ?? null;
        const expected = reason && `The backend holds its job job-${instanceId} pending: ${reason}`;
        return shown === expected ? task : undefined;
      });
    backend.reasons.set(instanceId, 'Priority');
    await reasonShown('Priority');
    backend.reasons.set(instanceId, 'QOSMaxJobsPerUserLimit');
    await reasonShown('QOSMaxJobsPerUserLimit');
    backend.reasons.delete(instanceId);
    const cleared = await reasonShown(null);
    expect(cleared.status).toBe('LAUNCHED');
    await distributor.stop();
    distributor = undefined;
  });

  it('beats for more attempts than one request may list, in several requests', async () => {
    // One more than a request may list: before, the whole list went in one heartbeat, which the server
    // refused, so no attempt past the limit was ever kept alive or told its backend's reason.
    const count = MAX_IDS_PER_DISTRIBUTOR_REQUEST + 1;
    const tasks = Array.from({ length: count }, (_, i) => task(`held-${i}`));
    await gql(
      server!.url,
      `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`,
      { input: submission(tasks, { tool: 'pending-e2e-many' }) },
    );
    const backend = new HoldingBackend(count);
    distributor = startDistributor({
      serverUrl: server!.url,
      backend,
      name: `pending-e2e-many-${dialect}-${process.pid}`,
      pollIntervalMs: 100,
      heartbeatSeconds: 0.5,
    });
    await distributor.ready;
    // Generous waits: 5,001 claims and launch reports on a slow, busy machine.
    await waitFor(`${count} attempts held`, async () => backend.held.size === count || undefined, 150_000);
    const ids = [...backend.held].map(Number).sort((a, b) => a - b);
    const [first, last] = [String(ids[0]), String(ids.at(-1))];
    backend.reasons.set(first, 'Priority');
    backend.reasons.set(last, 'Resources');
    const instance = `query ($id: ID!) { taskInstance(id: $id) { status backendPendingReason } }`;
    type Held = { taskInstance: { status: string; backendPendingReason: string | null } };
    for (const [id, reason] of [
      [first, 'Priority'],
      [last, 'Resources'],
    ] as const) {
      const shown = await waitFor(
        `attempt ${id} to show ${reason}`,
        async () => {
          const { taskInstance } = await gql<Held>(server!.url, instance, { id });
          return taskInstance.backendPendingReason === reason ? taskInstance : undefined;
        },
        60_000,
      );
      expect(shown.status).toBe('LAUNCHED');
    }
  }, 300_000);
});
