import { TaskStatus, WorkflowRunStatus } from '@jobmon/core';
import { BlockKind, blockedBy, noDistributorMessage, type BlockFacts } from './blocked-by';

const local = { name: 'local', queues: null, owner: 'alice', servesAllUsers: false };

/** A QUEUED task of alice's with nothing in its way. */
const facts = (over: Partial<BlockFacts> = {}): BlockFacts => ({
  status: TaskStatus.QUEUED,
  upstreamTotal: 0,
  upstreamNotDone: 0,
  runStatus: WorkflowRunStatus.RUNNING,
  workflowLimit: 10,
  workflowActive: 3,
  templateName: 'fit',
  templateLimit: null,
  templateActive: 1,
  queue: null,
  owner: 'alice',
  distributors: [local],
  backendPendingReason: null,
  backendJobId: null,
  ...over,
});

const kinds = (over: Partial<BlockFacts>) => blockedBy(facts(over)).map((reason) => reason.kind);

describe('blockedBy', () => {
  it('has no reason for a QUEUED task nothing holds back', () => {
    expect(blockedBy(facts())).toEqual([]);
  });

  it.each([
    TaskStatus.INSTANTIATING,
    TaskStatus.RUNNING,
    TaskStatus.DONE,
    TaskStatus.ERROR_FATAL,
    TaskStatus.ERROR_RECOVERABLE,
    TaskStatus.ADJUSTING_RESOURCES,
  ])('has none for a %s task (it is not waiting), whatever else holds', (status) => {
    expect(
      blockedBy(facts({ status, runStatus: WorkflowRunStatus.STOPPED, workflowLimit: 0, distributors: [] })),
    ).toEqual([]);
  });

  it('says how many upstream tasks a REGISTERING task waits for', () => {
    expect(
      blockedBy(facts({ status: TaskStatus.REGISTERING, upstreamTotal: 3, upstreamNotDone: 2 })),
    ).toEqual([{ kind: BlockKind.UPSTREAM_NOT_DONE, message: '2 of its 3 upstream tasks are not DONE yet' }]);
    expect(
      blockedBy(facts({ status: TaskStatus.REGISTERING, upstreamTotal: 1, upstreamNotDone: 1 }))[0]!.message,
    ).toBe('1 of its 1 upstream task is not DONE yet');
    // Upstream all DONE: the scheduler is about to queue it.
    expect(kinds({ status: TaskStatus.REGISTERING, upstreamTotal: 2, upstreamNotDone: 0 })).toEqual([]);
  });

  it.each([
    WorkflowRunStatus.STOPPED,
    WorkflowRunStatus.ERROR,
    WorkflowRunStatus.COLD_RESUME,
    WorkflowRunStatus.REGISTERED,
    null,
  ])('gives WORKFLOW_NOT_RUNNING when the run is %s', (runStatus) => {
    expect(kinds({ runStatus })).toEqual([BlockKind.WORKFLOW_NOT_RUNNING]);
    expect(
      kinds({ runStatus, status: TaskStatus.REGISTERING, upstreamTotal: 1, upstreamNotDone: 1 }),
    ).toEqual([BlockKind.WORKFLOW_NOT_RUNNING, BlockKind.UPSTREAM_NOT_DONE]);
  });

  it('schedules in BOUND and RUNNING runs', () => {
    expect(kinds({ runStatus: WorkflowRunStatus.BOUND })).toEqual([]);
  });

  it('gives WORKFLOW_LIMIT when the workflow is paused or full, not below its limit', () => {
    expect(blockedBy(facts({ workflowLimit: 0, workflowActive: 0 }))).toEqual([
      {
        kind: BlockKind.WORKFLOW_LIMIT,
        message: 'The workflow is paused (maxConcurrentlyRunning 0): raise its limit to run tasks',
      },
    ]);
    expect(blockedBy(facts({ workflowLimit: 4, workflowActive: 4 }))[0]).toEqual({
      kind: BlockKind.WORKFLOW_LIMIT,
      message: 'The workflow runs 4 tasks, its limit (maxConcurrentlyRunning 4)',
    });
    expect(kinds({ workflowLimit: 4, workflowActive: 3 })).toEqual([]);
  });

  it('gives TEMPLATE_LIMIT when its template is full in the workflow, with the workflow limit too if both are', () => {
    expect(kinds({ templateLimit: 1, templateActive: 1 })).toEqual([BlockKind.TEMPLATE_LIMIT]);
    expect(blockedBy(facts({ templateLimit: 0, templateActive: 0 }))[0]!.message).toMatch(/fit is paused/);
    expect(kinds({ templateLimit: 2, templateActive: 1 })).toEqual([]);
    expect(kinds({ templateLimit: 1, templateActive: 1, workflowLimit: 1, workflowActive: 1 })).toEqual([
      BlockKind.WORKFLOW_LIMIT,
      BlockKind.TEMPLATE_LIMIT,
    ]);
  });

  it('gives NO_DISTRIBUTOR_FOR_QUEUE when no distributor runs the owner’s work or serves its queue', () => {
    expect(blockedBy(facts({ distributors: [] }))).toEqual([
      { kind: BlockKind.NO_DISTRIBUTOR_FOR_QUEUE, message: expect.stringMatching(/No distributor of alice/) },
    ]);
    expect(kinds({ distributors: [{ ...local, owner: 'bob' }] })).toEqual([
      BlockKind.NO_DISTRIBUTOR_FOR_QUEUE,
    ]);
    expect(kinds({ distributors: [{ ...local, owner: 'bob', servesAllUsers: true }] })).toEqual([]);
    const slurm = { name: 's', queues: ['all.q', 'long.q'], owner: 'alice', servesAllUsers: false };
    expect(kinds({ distributors: [slurm], queue: 'long.q' })).toEqual([]);
    expect(kinds({ distributors: [slurm], queue: null })).toEqual([]);
    expect(blockedBy(facts({ distributors: [slurm], queue: 'gpu.q' }))).toEqual([
      {
        kind: BlockKind.NO_DISTRIBUTOR_FOR_QUEUE,
        message:
          'No distributor serves queue gpu.q (registered distributors serve all.q, long.q): start one for it, or move the task to another queue',
      },
    ]);
    expect(kinds({ distributors: [slurm, local], queue: 'gpu.q' })).toEqual([]);
  });

  it('names open mode’s missing distributor without an owner', () => {
    expect(noDistributorMessage({ owner: null, queue: null, distributors: [] })).toBe(
      'No distributor is registered: start one (jobmon server, or jobmon-distributor)',
    );
    expect(
      noDistributorMessage({ owner: null, queue: null, distributors: [{ ...local, owner: null }] }),
    ).toBeNull();
  });

  it('gives BACKEND_PENDING with the backend’s reason for a LAUNCHED task, nothing when none is known', () => {
    expect(
      blockedBy(
        facts({ status: TaskStatus.LAUNCHED, backendPendingReason: 'Resources', backendJobId: '4411' }),
      ),
    ).toEqual([
      { kind: BlockKind.BACKEND_PENDING, message: 'The backend holds its job 4411 pending: Resources' },
    ]);
    expect(kinds({ status: TaskStatus.LAUNCHED })).toEqual([]);
    // The queue-side limits do not hold back a task that is launched already.
    expect(kinds({ status: TaskStatus.LAUNCHED, workflowLimit: 0, distributors: [] })).toEqual([]);
  });
});
