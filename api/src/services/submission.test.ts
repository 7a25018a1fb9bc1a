import { startTestServer, type TestServer } from '../testing/server';
import { testDialects } from '../testing/databases';
import { tableRowCounts } from '../testing/row-counts';
import type { TaskSubmission, WorkflowSubmission } from './submission.types';

// submitWorkflow end to end: GraphQL over HTTP against a real server, on SQLite and on MySQL.

const MAX_TASKS = 10;

const SUBMIT = /* GraphQL */ `
  mutation Submit($input: WorkflowSubmission!) {
    submitWorkflow(input: $input) {
      created
      workflow {
        id
        name
        workflowArgs
        status
        taskCount
        maxAttempts
        maxConcurrentlyRunning
        failFast
        createdBy
        tool {
          name
        }
        latestRun {
          id
          status
        }
        statusCounts {
          total
          REGISTERING
          QUEUED
          DONE
          byStatus {
            status
            count
          }
        }
      }
      workflowRun {
        id
        status
        user
      }
    }
  }
`;

const TASKS = /* GraphQL */ `
  query Tasks($id: ID!) {
    workflow(id: $id) {
      tasks(first: 50) {
        totalCount
        nodes {
          id
          key
          name
          command
          status
          maxAttempts
          args
          attributes
          fallbackQueues
          resourceScales {
            memory
            runtime
          }
          template {
            name
            nodeArgs
            taskArgs
            opArgs
          }
          resources {
            memoryMb
            cores
            runtimeSeconds
            queue
            extra
          }
          upstream {
            key
          }
          downstream {
            key
          }
          instances {
            id
          }
        }
      }
    }
  }
`;

interface SubmitData {
  submitWorkflow: {
    created: boolean;
    workflow: {
      id: string;
      name: string | null;
      workflowArgs: string;
      status: string;
      taskCount: number;
      maxAttempts: number;
      maxConcurrentlyRunning: number;
      failFast: boolean;
      createdBy: string | null;
      tool: { name: string };
      latestRun: { id: string; status: string };
      statusCounts: {
        total: number;
        REGISTERING: number;
        QUEUED: number;
        DONE: number;
        byStatus: { status: string; count: number }[];
      };
    };
    workflowRun: { id: string; status: string; user: string | null };
  };
}

interface TaskNode {
  id: string;
  key: string;
  name: string;
  command: string;
  status: string;
  maxAttempts: number;
  args: Record<string, unknown>;
  attributes: unknown;
  fallbackQueues: string[];
  resourceScales: { memory: number; runtime: number } | null;
  template: { name: string; nodeArgs: string[]; taskArgs: string[]; opArgs: string[] };
  resources: {
    memoryMb: number;
    cores: number;
    runtimeSeconds: number;
    queue: string | null;
    extra: Record<string, unknown> | null;
  };
  upstream: { key: string }[];
  downstream: { key: string }[];
  instances: { id: string }[];
}

/**
 * prep (2 locations) fans out to fit (3 location-years), which fans in to one summary; plus a lone root.
 * Resources are set at every level so that precedence task > template > workflow shows per field.
 */
function pipeline(tool: string, workflowArgs = 'gbd-2025'): WorkflowSubmission {
  return {
    tool,
    workflowArgs,
    name: `pipeline of ${tool}`,
    description: 'fan-out / fan-in',
    maxAttempts: 4,
    maxConcurrentlyRunning: 7,
    failFast: true,
    attributes: { team: 'burden' },
    defaultResources: {
      memoryMb: 1000,
      cores: 1,
      runtimeSeconds: 600,
      queue: 'all.q',
      extra: { account: 'proj', qos: 'normal' },
    },
    taskTemplates: [
      {
        name: 'prep',
        commandTemplate: 'python prep.py --loc {location}',
        defaultResources: { memoryMb: 2048, cores: 2 },
      },
      {
        name: 'fit',
        commandTemplate: 'python fit.py --loc {location} --year {year} --draws {draws}',
        nodeArgs: ['location', 'year'],
        taskArgs: ['draws'],
        defaultResources: { memoryMb: 4096, runtimeSeconds: 7200, extra: { qos: 'high' } },
        maxConcurrentlyRunning: 2,
      },
      {
        name: 'summarize',
        commandTemplate: '{python} summarize.py --out {out} --flag {flag}',
        nodeArgs: ['out'],
        taskArgs: ['flag'],
        opArgs: ['python'],
      },
    ],
    tasks: [
      { key: 'prep-usa', template: 'prep', args: { location: 'USA' } },
      { key: 'prep-fra', template: 'prep', args: { location: 'FRA' }, name: 'prepare France' },
      {
        key: 'fit-usa-2000',
        template: 'fit',
        args: { location: 'USA', year: 2000, draws: 100 },
        upstream: ['prep-usa'],
        resources: { cores: 4, extra: { constraint: 'avx' } },
        maxAttempts: 2,
        resourceScales: { memory: 1.0 },
        fallbackQueues: ['long.q', 'huge.q'],
        attributes: { year: 2000 },
      },
      {
        key: 'fit-usa-2010',
        template: 'fit',
        args: { location: 'USA', year: 2010, draws: 100 },
        upstream: ['prep-usa'],
      },
      {
        key: 'fit-fra-2000',
        template: 'fit',
        args: { location: 'FRA', year: 2000, draws: 100 },
        upstream: ['prep-fra'],
      },
      {
        key: 'summary',
        template: 'summarize',
        args: { out: '/tmp/out.csv', python: '/usr/bin/python3', flag: true },
        upstream: ['fit-usa-2000', 'fit-usa-2010', 'fit-fra-2000'],
        resources: { memoryMb: 512, queue: 'long.q' },
      },
      { key: 'lonely', template: 'summarize', args: { out: 'x', python: 'py', flag: 1.5 } },
    ],
  };
}

/** A small valid submission to break in one place. */
function base(tool: string): WorkflowSubmission {
  return {
    tool,
    workflowArgs: 'args',
    defaultResources: { memoryMb: 100 },
    taskTemplates: [
      { name: 'a', commandTemplate: 'run-a {x}' },
      { name: 'b', commandTemplate: 'run-b {x} {y}', nodeArgs: ['x'], taskArgs: ['y'] },
    ],
    tasks: [
      { key: 'a1', template: 'a', args: { x: 1 } },
      { key: 'b1', template: 'b', args: { x: 1, y: 'z' }, upstream: ['a1'] },
      { key: 'b2', template: 'b', args: { x: 2, y: 'z' }, upstream: ['a1', 'b1'] },
    ],
  };
}

const byKey = (tasks: TaskNode[]) => new Map(tasks.map((task) => [task.key, task]));
const keysOf = (list: { key: string }[]) => list.map((item) => item.key).sort();

describe.each(testDialects())('submitWorkflow over GraphQL [%s]', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect, { maxTasksPerSubmission: MAX_TASKS });
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function submit(input: WorkflowSubmission) {
    return server.graphql<SubmitData>(SUBMIT, { input });
  }

  async function submitOk(input: WorkflowSubmission) {
    const response = await submit(input);
    expect(response.errors).toBeUndefined();
    expect(response.status).toBe(200);
    return response.data!.submitWorkflow;
  }

  async function tasksOf(workflowId: string): Promise<TaskNode[]> {
    const response = await server.graphql<{ workflow: { tasks: { totalCount: number; nodes: TaskNode[] } } }>(
      TASKS,
      { id: workflowId },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.workflow.tasks.nodes;
  }

  /** Rows in every table of the schema (the migrations' bookkeeping aside). */
  const rowCounts = () => tableRowCounts(server.db);

  describe('a valid DAG', () => {
    let result: SubmitData['submitWorkflow'];
    let tasks: Map<string, TaskNode>;

    beforeAll(async () => {
      result = await submitOk(pipeline('valid-dag'));
      tasks = byKey(await tasksOf(result.workflow.id));
    });

    it('creates the workflow with its settings and a BOUND run', () => {
      expect(result.created).toBe(true);
      expect(result.workflow).toMatchObject({
        name: 'pipeline of valid-dag',
        workflowArgs: 'gbd-2025',
        status: 'QUEUED',
        taskCount: 7,
        maxAttempts: 4,
        maxConcurrentlyRunning: 7,
        failFast: true,
        createdBy: null,
        tool: { name: 'valid-dag' },
      });
      expect(result.workflowRun).toMatchObject({ status: 'BOUND', user: null });
      expect(result.workflow.latestRun).toEqual({ id: result.workflowRun.id, status: 'BOUND' });
    });

    it('queues the roots and leaves the others REGISTERING', () => {
      expect(tasks.size).toBe(7);
      const queued = [...tasks.values()].filter((task) => task.status === 'QUEUED').map((task) => task.key);
      expect(queued.sort()).toEqual(['lonely', 'prep-fra', 'prep-usa']);
      for (const key of ['fit-usa-2000', 'fit-usa-2010', 'fit-fra-2000', 'summary'])
        expect(tasks.get(key)!.status).toBe('REGISTERING');
      for (const task of tasks.values()) expect(task.instances).toEqual([]);
    });

    it('counts tasks per status', () => {
      const counts = result.workflow.statusCounts;
      expect(counts).toMatchObject({ total: 7, QUEUED: 3, REGISTERING: 4, DONE: 0 });
      expect(counts.byStatus).toHaveLength(9);
      expect(counts.byStatus.reduce((sum, entry) => sum + entry.count, 0)).toBe(7);
      expect(counts.byStatus.find((entry) => entry.status === 'QUEUED')!.count).toBe(3);
    });

    it('renders every command from its template and arguments', () => {
      expect(tasks.get('prep-usa')!.command).toBe('python prep.py --loc USA');
      expect(tasks.get('fit-usa-2000')!.command).toBe('python fit.py --loc USA --year 2000 --draws 100');
      expect(tasks.get('fit-fra-2000')!.command).toBe('python fit.py --loc FRA --year 2000 --draws 100');
      expect(tasks.get('summary')!.command).toBe(
        '/usr/bin/python3 summarize.py --out /tmp/out.csv --flag true',
      );
      expect(tasks.get('lonely')!.command).toBe('py summarize.py --out x --flag 1.5');
      expect(tasks.get('fit-usa-2000')!.args).toEqual({ location: 'USA', year: 2000, draws: 100 });
      expect(tasks.get('fit-usa-2000')!.template).toEqual({
        name: 'fit',
        nodeArgs: ['location', 'year'],
        taskArgs: ['draws'],
        opArgs: [],
      });
      // No groups declared: every placeholder is a node arg.
      expect(tasks.get('prep-usa')!.template.nodeArgs).toEqual(['location']);
    });

    it('names tasks by their name, else their key', () => {
      expect(tasks.get('prep-fra')!.name).toBe('prepare France');
      expect(tasks.get('prep-usa')!.name).toBe('prep-usa');
    });

    it('resolves resources field by field: task > template > workflow', () => {
      // prep: memory and cores from the template, runtime and queue from the workflow.
      expect(tasks.get('prep-usa')!.resources).toEqual({
        memoryMb: 2048,
        cores: 2,
        runtimeSeconds: 600,
        queue: 'all.q',
        extra: { account: 'proj', qos: 'normal' },
      });
      // fit-usa-2000: cores from the task, memory and runtime from the template, queue from the workflow;
      // extra merged key by key with the same precedence.
      expect(tasks.get('fit-usa-2000')!.resources).toEqual({
        memoryMb: 4096,
        cores: 4,
        runtimeSeconds: 7200,
        queue: 'all.q',
        extra: { constraint: 'avx', qos: 'high', account: 'proj' },
      });
      expect(tasks.get('fit-usa-2010')!.resources).toEqual({
        memoryMb: 4096,
        cores: 1,
        runtimeSeconds: 7200,
        queue: 'all.q',
        extra: { qos: 'high', account: 'proj' },
      });
      // summary: memory and queue from the task, the rest from the workflow (its template sets nothing).
      expect(tasks.get('summary')!.resources).toEqual({
        memoryMb: 512,
        cores: 1,
        runtimeSeconds: 600,
        queue: 'long.q',
        extra: { account: 'proj', qos: 'normal' },
      });
    });

    it('keeps per-task attempts, scales, fallback queues and attributes', () => {
      const fit = tasks.get('fit-usa-2000')!;
      expect(fit.maxAttempts).toBe(2);
      expect(fit.resourceScales).toEqual({ memory: 1, runtime: 0.5 });
      expect(fit.fallbackQueues).toEqual(['long.q', 'huge.q']);
      expect(fit.attributes).toEqual({ year: 2000 });
      const other = tasks.get('fit-usa-2010')!;
      expect(other.maxAttempts).toBe(4); // the workflow's default
      expect(other.resourceScales).toEqual({ memory: 0.5, runtime: 0.5 });
      expect(other.fallbackQueues).toEqual([]);
    });

    it('links upstream and downstream both ways', () => {
      const expected: Record<string, [string[], string[]]> = {
        'prep-usa': [[], ['fit-usa-2000', 'fit-usa-2010']],
        'prep-fra': [[], ['fit-fra-2000']],
        'fit-usa-2000': [['prep-usa'], ['summary']],
        'fit-usa-2010': [['prep-usa'], ['summary']],
        'fit-fra-2000': [['prep-fra'], ['summary']],
        summary: [['fit-fra-2000', 'fit-usa-2000', 'fit-usa-2010'], []],
        lonely: [[], []],
      };
      for (const [key, [upstream, downstream]] of Object.entries(expected)) {
        expect({ key, upstream: keysOf(tasks.get(key)!.upstream) }).toEqual({ key, upstream });
        expect({ key, downstream: keysOf(tasks.get(key)!.downstream) }).toEqual({ key, downstream });
      }
    });

    it('audits the run REGISTERED → BOUND and each root REGISTERING → QUEUED', async () => {
      const response = await server.graphql<{
        auditEvents: {
          totalCount: number;
          nodes: {
            id: string;
            entityType: string;
            entityId: string;
            workflowId: string;
            fromStatus: string | null;
            toStatus: string;
            reason: string | null;
          }[];
        };
      }>(
        `query($id: ID!) { auditEvents(filter: { workflowId: $id }, first: 100) {
           totalCount nodes { id entityType entityId workflowId fromStatus toStatus reason } } }`,
        { id: result.workflow.id },
      );
      expect(response.errors).toBeUndefined();
      const events = response.data!.auditEvents.nodes;
      expect(response.data!.auditEvents.totalCount).toBe(events.length);
      for (const event of events) expect(event.workflowId).toBe(result.workflow.id);
      const ids = events.map((event) => Number(event.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));

      const runEvents = events.filter((event) => event.entityType === 'WORKFLOW_RUN');
      expect(runEvents.map((event) => [event.entityId, event.fromStatus, event.toStatus])).toEqual([
        [result.workflowRun.id, null, 'REGISTERED'],
        [result.workflowRun.id, 'REGISTERED', 'BOUND'],
      ]);
      const taskEvents = events.filter((event) => event.entityType === 'TASK');
      const rootIds = ['prep-usa', 'prep-fra', 'lonely'].map((key) => tasks.get(key)!.id).sort();
      expect(taskEvents.map((event) => event.entityId).sort()).toEqual(rootIds);
      for (const event of taskEvents) {
        expect(event.fromStatus).toBe('REGISTERING');
        expect(event.toStatus).toBe('QUEUED');
        expect(event.reason).toBe('no upstream');
      }
      const workflowEvents = events.filter((event) => event.entityType === 'WORKFLOW');
      expect(workflowEvents.map((event) => [event.fromStatus, event.toStatus])).toEqual([
        [null, 'REGISTERING'],
        ['REGISTERING', 'QUEUED'],
      ]);
    });

    it('is readable with workflow(id), task(id) and the tools list', async () => {
      const fit = tasks.get('fit-usa-2000')!;
      const response = await server.graphql<{
        workflow: { id: string; status: string };
        task: { key: string; workflow: { id: string } };
        tools: { name: string }[];
      }>(
        `query($w: ID!, $t: ID!) { workflow(id: $w) { id status } task(id: $t) { key workflow { id } } tools { name } }`,
        { w: result.workflow.id, t: fit.id },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.workflow).toEqual({ id: result.workflow.id, status: 'QUEUED' });
      expect(response.data!.task).toEqual({ key: 'fit-usa-2000', workflow: { id: result.workflow.id } });
      expect(response.data!.tools.map((tool) => tool.name)).toContain('valid-dag');
    });
  });

  describe('workflow identity', () => {
    it('open mode records the user the client sends as creator and run user, but not as the owner', async () => {
      const first = await submitOk({ ...pipeline('client-user'), user: 'os-alice' });
      expect(first.created).toBe(true);
      expect(first.workflow.createdBy).toBe('os-alice');
      expect(first.workflowRun.user).toBe('os-alice');
      // Not part of the identity: the same workflow from another account (or curl, sending none) is found.
      const again = await submitOk({ ...pipeline('client-user'), user: 'os-bob' });
      expect(again).toMatchObject({
        created: false,
        workflow: { id: first.workflow.id, createdBy: 'os-alice' },
      });
      expect((await submitOk(pipeline('client-user'))).workflow.id).toBe(first.workflow.id);
      const tooLong = await submit({ ...pipeline('client-user-long'), user: 'u'.repeat(300) });
      expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('identical submissions racing each other bind one workflow', async () => {
      const before = await rowCounts();
      const results = await Promise.all([1, 2, 3, 4].map(() => submitOk(pipeline('identity-race'))));
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.workflow.id)).size).toBe(1);
      expect(new Set(results.map((result) => result.workflowRun.id)).size).toBe(1);
      const after = await rowCounts();
      expect(after.workflow).toBe(before.workflow! + 1);
      expect(after.workflow_run).toBe(before.workflow_run! + 1);
      expect(after.task).toBe(before.task! + 7);
    });

    it('the same tool + workflowArgs + tasks finds the existing workflow and writes nothing', async () => {
      const first = await submitOk(pipeline('identity'));
      expect(first.created).toBe(true);
      const before = await rowCounts();

      const again = await submitOk(pipeline('identity'));
      expect(again.created).toBe(false);
      expect(again.workflow.id).toBe(first.workflow.id);
      expect(again.workflowRun.id).toBe(first.workflowRun.id);

      const reordered = pipeline('identity');
      reordered.tasks = [...reordered.tasks].reverse().map((task) => ({
        ...task,
        // upstream lists in another order, and object keys too, are the same task set
        upstream: task.upstream ? [...task.upstream].reverse() : task.upstream,
        args: Object.fromEntries(Object.entries(task.args).reverse()),
      }));
      reordered.taskTemplates = [...reordered.taskTemplates].reverse();
      const third = await submitOk(reordered);
      expect(third.created).toBe(false);
      expect(third.workflow.id).toBe(first.workflow.id);

      expect(await rowCounts()).toEqual(before);
    });

    it('a different task set is a new workflow', async () => {
      const first = await submitOk(pipeline('identity-tasks'));

      const changedArgs = pipeline('identity-tasks');
      changedArgs.tasks = changedArgs.tasks.map((task) =>
        task.key === 'fit-usa-2010' ? { ...task, args: { ...task.args, draws: 1000 } } : task,
      );
      const second = await submitOk(changedArgs);
      expect(second.created).toBe(true);
      expect(second.workflow.id).not.toBe(first.workflow.id);

      const fewer = pipeline('identity-tasks');
      fewer.tasks = fewer.tasks.filter((task) => task.key !== 'lonely');
      const third = await submitOk(fewer);
      expect(third.created).toBe(true);
      expect(new Set([first.workflow.id, second.workflow.id, third.workflow.id]).size).toBe(3);

      const rewired = pipeline('identity-tasks');
      rewired.tasks = rewired.tasks.map((task) =>
        task.key === 'summary' ? { ...task, upstream: ['fit-usa-2000', 'fit-usa-2010'] } : task,
      );
      const fourth = await submitOk(rewired);
      expect(fourth.created).toBe(true);
      expect(fourth.workflow.taskCount).toBe(7);
    });

    it('a changed command template is a new workflow with the new commands', async () => {
      const first = await submitOk(pipeline('identity-template'));
      const changed = pipeline('identity-template');
      const template = changed.taskTemplates[0]!;
      changed.taskTemplates[0] = { ...template, commandTemplate: `nice ${template.commandTemplate}` };
      const second = await submitOk(changed);
      expect(second.created).toBe(true);
      expect(second.workflow.id).not.toBe(first.workflow.id);
      const commands = (await tasksOf(second.workflow.id)).map((task) => task.command);
      expect(commands.filter((command) => command.startsWith('nice ')).length).toBeGreaterThan(0);
    });

    it('different workflowArgs are a new workflow; the same args under another tool too', async () => {
      const first = await submitOk(pipeline('identity-args', 'round-1'));
      const second = await submitOk(pipeline('identity-args', 'round-2'));
      expect(second.created).toBe(true);
      expect(second.workflow.id).not.toBe(first.workflow.id);
      const third = await submitOk(pipeline('identity-args-other-tool', 'round-1'));
      expect(third.created).toBe(true);
      expect(third.workflow.id).not.toBe(first.workflow.id);
      // and each is found again
      expect((await submitOk(pipeline('identity-args', 'round-2'))).workflow.id).toBe(second.workflow.id);
    });
  });

  describe('refusals: BAD_USER_INPUT and nothing written', () => {
    async function expectRefused(input: WorkflowSubmission, message: RegExp) {
      const before = await rowCounts();
      const response = await submit(input);
      expect(response.errors).toHaveLength(1);
      const error = response.errors![0]!;
      expect({ code: error.extensions?.code, message: error.message }).toEqual({
        code: 'BAD_USER_INPUT',
        message: expect.stringMatching(message),
      });
      expect(error.extensions?.problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
      expect(response.data?.submitWorkflow ?? null).toBeNull();
      expect(await rowCounts()).toEqual(before);
      return error;
    }

    const withTasks = (tool: string, change: (tasks: TaskSubmission[]) => TaskSubmission[]) => {
      const input = base(tool);
      input.tasks = change(input.tasks);
      return input;
    };

    it('the base submission itself is valid', async () => {
      // Guards the cases below: each refusal comes from its one change, not from the base.
      const before = await rowCounts();
      expect((await submitOk(base('refusal-base'))).created).toBe(true);
      const after = await rowCounts();
      for (const table of [
        'tool',
        'workflow',
        'task',
        'edge',
        'workflow_run',
        'audit_event',
        'task_template',
      ])
        expect({ table, grew: after[table]! > before[table]! }).toEqual({ table, grew: true });
    });

    it('keys and template names with leading or trailing whitespace (MySQL would confuse "k" and "k ")', async () => {
      await expectRefused(
        withTasks('refused-space', (tasks) => [...tasks, { ...tasks[0]!, key: `${tasks[0]!.key} ` }]),
        /key has leading or trailing whitespace/,
      );
      const input = base('refused-space-template');
      input.taskTemplates = input.taskTemplates.map((t) => ({ ...t, name: ` ${t.name}` }));
      await expectRefused(input, /name has leading or trailing whitespace/);
    });

    it('a 3-node cycle', async () => {
      await expectRefused(
        withTasks('refused-cycle', () => [
          { key: 'a1', template: 'a', args: { x: 1 }, upstream: ['a3'] },
          { key: 'a2', template: 'a', args: { x: 2 }, upstream: ['a1'] },
          { key: 'a3', template: 'a', args: { x: 3 }, upstream: ['a2'] },
        ]),
        /cycle: "a\d" -> "a\d" -> "a\d" -> "a\d"/,
      );
    });

    it('a cycle behind a valid root', async () => {
      await expectRefused(
        withTasks('refused-cycle-2', (tasks) => [
          ...tasks,
          { key: 'c1', template: 'a', args: { x: 11 }, upstream: ['a1', 'c2'] },
          { key: 'c2', template: 'a', args: { x: 12 }, upstream: ['c1'] },
        ]),
        /cycle/,
      );
    });

    it('a self edge', async () => {
      await expectRefused(
        withTasks('refused-self', (tasks) => [
          ...tasks,
          { key: 's', template: 'a', args: { x: 9 }, upstream: ['s'] },
        ]),
        /task "s" lists itself as upstream/,
      );
    });

    it('an unknown upstream key', async () => {
      await expectRefused(
        withTasks('refused-upstream', (tasks) => [
          ...tasks,
          { key: 'late', template: 'a', args: { x: 9 }, upstream: ['a1', 'nope'] },
        ]),
        /task "late": unknown upstream key "nope"/,
      );
    });

    it('a duplicate key', async () => {
      await expectRefused(
        withTasks('refused-duplicate', (tasks) => [...tasks, { key: 'b1', template: 'a', args: { x: 7 } }]),
        /task "b1": duplicate key/,
      );
    });

    it('an unknown template', async () => {
      await expectRefused(
        withTasks('refused-template', (tasks) => [...tasks, { key: 'z', template: 'zzz', args: { x: 1 } }]),
        /task "z": unknown template "zzz"/,
      );
    });

    it('a missing template argument, naming the task and the argument', async () => {
      const error = await expectRefused(
        withTasks('refused-missing-arg', (tasks) => [...tasks, { key: 'b9', template: 'b', args: { x: 9 } }]),
        /task "b9": missing argument "y" of template "b"/,
      );
      expect(error.message).toContain('b9');
    });

    it('an unknown argument', async () => {
      await expectRefused(
        withTasks('refused-unknown-arg', (tasks) => [
          ...tasks,
          { key: 'a9', template: 'a', args: { x: 9, colour: 'red' } },
        ]),
        /task "a9": unknown argument "colour" for template "a"/,
      );
    });

    it('a non-scalar argument value', async () => {
      await expectRefused(
        withTasks('refused-object-arg', (tasks) => [
          ...tasks,
          { key: 'a9', template: 'a', args: { x: { y: 1 } } },
        ]),
        /task "a9": argument "x" must be a string, a finite number or a boolean/,
      );
      await expectRefused(
        withTasks('refused-list-arg', (tasks) => [
          ...tasks,
          { key: 'a9', template: 'a', args: { x: [1, 2] } },
        ]),
        /task "a9": argument "x" must be a string/,
      );
      await expectRefused(
        withTasks('refused-null-arg', (tasks) => [...tasks, { key: 'a9', template: 'a', args: { x: null } }]),
        /task "a9": argument "x" must be a string/,
      );
    });

    it('args that are not an object', async () => {
      await expectRefused(
        withTasks('refused-args-list', (tasks) => [
          ...tasks,
          { key: 'a9', template: 'a', args: ['x'] as unknown as Record<string, unknown> },
        ]),
        /task "a9": args must be an object/,
      );
    });

    it('memoryMb 0', async () => {
      await expectRefused(
        withTasks('refused-memory', (tasks) => [
          ...tasks,
          { key: 'a9', template: 'a', args: { x: 9 }, resources: { memoryMb: 0 } },
        ]),
        /task "a9": memoryMb must be a positive integer \(got 0\)/,
      );
    });

    it('cores -1', async () => {
      await expectRefused(
        withTasks('refused-cores', (tasks) => [
          ...tasks,
          { key: 'a9', template: 'a', args: { x: 9 }, resources: { cores: -1 } },
        ]),
        /task "a9": cores must be a positive integer \(got -1\)/,
      );
    });

    it('runtimeSeconds 0', async () => {
      await expectRefused(
        withTasks('refused-runtime', (tasks) => [
          ...tasks,
          { key: 'a9', template: 'a', args: { x: 9 }, resources: { runtimeSeconds: 0 } },
        ]),
        /task "a9": runtimeSeconds must be a positive integer/,
      );
    });

    it('invalid resources at the template and workflow level', async () => {
      const template = base('refused-template-resources');
      template.taskTemplates[0] = { ...template.taskTemplates[0]!, defaultResources: { memoryMb: -5 } };
      await expectRefused(template, /template "a": memoryMb must be a positive integer/);
      const workflow = base('refused-workflow-resources');
      workflow.defaultResources = { cores: 0 };
      await expectRefused(workflow, /workflow: cores must be a positive integer/);
      const queue = base('refused-queue');
      queue.defaultResources = { queue: '  ' };
      await expectRefused(queue, /workflow: queue must be a non-empty string/);
    });

    it('a negative resource scale', async () => {
      await expectRefused(
        withTasks('refused-scale', (tasks) => [
          ...tasks,
          { key: 'a9', template: 'a', args: { x: 9 }, resourceScales: { memory: -0.5 } },
        ]),
        /task "a9": memory scale must be a finite number >= 0/,
      );
    });

    it('maxAttempts 0 on a task', async () => {
      await expectRefused(
        withTasks('refused-task-attempts', (tasks) => [
          ...tasks,
          { key: 'a9', template: 'a', args: { x: 9 }, maxAttempts: 0 },
        ]),
        /task "a9": maxAttempts must be an integer ≥ 1/,
      );
    });

    it('maxAttempts 0 on the workflow', async () => {
      const input = base('refused-workflow-attempts');
      input.maxAttempts = 0;
      const error = await expectRefused(input, /maxAttempts must be an integer ≥ 1 \(got 0\)/);
      expect(error.message).toBe('Invalid workflow submission: maxAttempts must be an integer ≥ 1 (got 0)');
    });

    it('an empty tool', async () => {
      const input = base('');
      await expectRefused(input, /tool must not be empty/);
      await expectRefused({ ...input, tool: '   ' }, /tool must not be empty/);
    });

    it('empty workflowArgs', async () => {
      await expectRefused(
        { ...base('refused-workflow-args'), workflowArgs: '' },
        /workflowArgs must not be empty/,
      );
    });

    it('an empty tasks list', async () => {
      await expectRefused({ ...base('refused-no-tasks'), tasks: [] }, /tasks must not be empty/);
    });

    it(`more tasks than maxTasksPerSubmission (${MAX_TASKS})`, async () => {
      const input = base('refused-too-many');
      input.tasks = Array.from({ length: MAX_TASKS + 1 }, (_, i) => ({
        key: `a${i}`,
        template: 'a',
        args: { x: i },
      }));
      await expectRefused(input, new RegExp(`${MAX_TASKS + 1} tasks exceed the ${MAX_TASKS}`));
      // exactly the limit is fine
      input.tasks = input.tasks.slice(0, MAX_TASKS);
      expect((await submitOk(input)).workflow.taskCount).toBe(MAX_TASKS);
    });

    it('an invalid template (placeholder not declared, template defined twice)', async () => {
      const undeclared = base('refused-undeclared');
      undeclared.taskTemplates[1] = { ...undeclared.taskTemplates[1]!, taskArgs: [] };
      await expectRefused(undeclared, /template "b": placeholder \{y\} is not declared/);
      const twice = base('refused-twice');
      twice.taskTemplates.push({ name: 'a', commandTemplate: 'other {x}' });
      await expectRefused(twice, /template "a" is defined twice/);
    });

    it('a template name longer than its column (255)', async () => {
      const input = base('refused-long-template');
      const name = 't'.repeat(256);
      input.taskTemplates.push({ name, commandTemplate: 'echo {x}' });
      input.tasks.push({ key: 'long', template: name, args: { x: 1 } });
      await expectRefused(input, /name is longer than 255 characters/);
    });

    it('lists every problem of a submission that has several', async () => {
      const error = await expectRefused(
        withTasks('refused-several', (tasks) => [
          ...tasks,
          { key: 'p1', template: 'nope', args: { x: 1 } },
          { key: 'p2', template: 'a', args: { x: 2 }, resources: { memoryMb: 0, cores: -1 } },
          { key: 'p3', template: 'b', args: { x: 3 } },
          { key: 'p4', template: 'a', args: { x: 4 }, upstream: ['ghost'] },
          { key: 'p5', template: 'a', args: { x: 5 }, maxAttempts: 0 },
        ]),
        /unknown template "nope"/,
      );
      const problems = error.extensions!.problems as string[];
      expect(problems).toEqual(
        expect.arrayContaining([
          'task "p1": unknown template "nope"',
          'task "p2": memoryMb must be a positive integer (got 0)',
          'task "p2": cores must be a positive integer (got -1)',
          'task "p3": missing argument "y" of template "b"',
          'task "p4": unknown upstream key "ghost"',
          'task "p5": maxAttempts must be an integer ≥ 1 (got 0)',
        ]),
      );
      expect(problems).toHaveLength(6);
      // The message shows the first five and counts the rest.
      expect(error.message).toMatch(/\(and 1 more problems?\)$/);
    });
  });

  describe('GraphQL errors', () => {
    it('a syntax error is GRAPHQL_PARSE_FAILED', async () => {
      const response = await server.graphql('{ workflows { nodes { id }');
      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      expect(response.errors![0]!.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('an unknown field is GRAPHQL_VALIDATION_FAILED', async () => {
      const response = await server.graphql('{ workflows { nodes { id noSuchField } } }');
      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      expect(response.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.errors![0]!.message).toContain('noSuchField');
    });

    it('a submission missing a required input field is refused before any resolver runs', async () => {
      const before = await rowCounts();
      const { tool: _tool, ...input } = base('no-tool');
      const response = await server.graphql(SUBMIT, { input });
      expect(response.status).toBe(400);
      expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors![0]!.message).toContain('"tool"');
      expect(await rowCounts()).toEqual(before);
    });

    it('a variable of the wrong type is BAD_USER_INPUT (400), not an internal error', async () => {
      const response = await server.graphql(
        'query($first: Int) { workflows(first: $first) { totalCount } }',
        {
          first: 'many',
        },
      );
      expect(response.status).toBe(400);
      expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors![0]!.message).toContain('$first');
    });

    it.each([
      ['workflow', 'Workflow'],
      ['task', 'Task'],
      ['taskInstance', 'TaskInstance'],
    ])('%s(id: "999999") is NOT_FOUND', async (field, entity) => {
      const response = await server.graphql<Record<string, unknown>>(`{ ${field}(id: "999999") { id } }`);
      expect(response.data?.[field]).toBeNull();
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.extensions?.code).toBe('NOT_FOUND');
      expect(response.errors![0]!.message).toBe(`${entity} 999999 not found`);
      expect(response.errors![0]!.extensions).toMatchObject({ entity, id: '999999' });
    });

    it.each(['abc', '-1', '0', '1.5'])('workflow(id: "%s") is BAD_USER_INPUT', async (id) => {
      const response = await server.graphql<{ workflow: unknown }>(
        `query($id: ID!) { workflow(id: $id) { id } }`,
        {
          id,
        },
      );
      expect(response.data?.workflow).toBeNull();
      expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors![0]!.message).toContain(id);
    });
  });
});
