import fs from 'node:fs';
import path from 'node:path';
import { testDialects } from '@jobmon/api/testing';
import { expectAuditComplete } from '../testing/audit-check';
import { finalView, gqlClient, submitWorkflow, waitFor, workflowView, type Gql } from '../testing/e2e';
import { expectRunIntact, faultDag, type FaultDag } from '../testing/fault-dag';
import { startLocalStack, type LocalStack } from '../testing/local-stack';

// kill -9 of what runs one task on the local backend, while it runs (spec §7: "a worker"). A command
// runs as `/bin/sh -c COMMAND` under a wrapper shell that leads its process group, waits for it and
// writes its exit status to a file; the wrappers are forked by one launcher shell per distributor.
// - the wrapper killed: the exit status is lost, the distributor sees the group leader gone (through
//   /proc), ends what is left of the group, and reports the attempt UNKNOWN_ERROR: it is retried;
// - the command killed: the wrapper records exit 137 (taken as the out-of-memory killer): the attempt is
//   a RESOURCE_ERROR and is retried with more memory;
// - the launcher killed: the commands it started are in sessions of their own and go on; their ends are
//   seen through /proc and the exit files, and the next commands start under a new launcher.
// In each case only the task hit runs again, and only once.

/** Field `index` (after the command name) of /proc/<pid>/stat: 0 the state, 1 the parent, 2 the group. */
function statField(pid: number, index: number): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // no such process
  }
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[index];
}

jest.setTimeout(120_000);

describe.each(testDialects())('kill -9 of a running task’s processes [%s]', (dialect) => {
  let stack: LocalStack;
  let gql: Gql;
  beforeAll(async () => {
    stack = await startLocalStack(dialect, 'supervisor-kill');
    gql = gqlClient(stack.server.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Runs the fault DAG with task t07 held, calls `kill` with its pid once it and others run. */
  async function runWithKill(
    name: string,
    kill: (pid: number, dag: FaultDag) => void,
    afterKill: (dag: FaultDag, workflowId: string) => Promise<void>,
  ) {
    const dir = path.join(stack.dir, name);
    fs.mkdirSync(dir);
    const dag = faultDag(dir, { hold: ['t07'] });
    const id = await submitWorkflow(gql, dag.input);
    await dag.waitForProgress(5, 2);
    const pid = await waitFor('t07 to start', async () => dag.pidOf('t07'));
    kill(pid, dag);
    await afterKill(dag, id);
    const view = await finalView(gql, id, 90_000);
    const retried = expectRunIntact(dag, view);
    await expectAuditComplete(stack.server.db, id);
    return { view, retried };
  }

  /** Releases t07 once its first attempt has ended in `status` (so that attempt cannot end well). */
  const releaseAfterFailure = (status: string) => async (dag: FaultDag, id: string) => {
    await waitFor(`t07's first attempt to end ${status}`, async () => {
      const task = (await workflowView(gql, id)).tasks.t07!;
      return task.instances[0]?.status === status ? true : undefined;
    });
    dag.release('t07');
  };

  it('the wrapper killed: the attempt is UNKNOWN_ERROR and retried; nothing else runs again', async () => {
    const { view, retried } = await runWithKill(
      'wrapper',
      (pid) => process.kill(Number(statField(pid, 2)), 'SIGKILL'), // the group leader
      releaseAfterFailure('UNKNOWN_ERROR'),
    );
    expect(retried).toEqual(['t07']);
    expect(view.tasks.t07!.instances.map((i) => [i.status, i.errorKind])).toEqual([
      ['UNKNOWN_ERROR', 'EXIT_STATUS_UNKNOWN'],
      ['DONE', null],
    ]);
  });

  it('the command killed: the attempt is a RESOURCE_ERROR (exit 137) and retried', async () => {
    const { view, retried } = await runWithKill(
      'command',
      (pid) => process.kill(pid, 'SIGKILL'),
      releaseAfterFailure('RESOURCE_ERROR'),
    );
    expect(retried).toEqual(['t07']);
    expect(view.tasks.t07!.instances.map((i) => [i.status, i.exitCode])).toEqual([
      ['RESOURCE_ERROR', 137],
      ['DONE', 0],
    ]);
  });

  it('the launcher killed: running commands go on and are recorded; nothing is retried', async () => {
    let launcher = 0;
    const { view, retried } = await runWithKill(
      'launcher',
      (pid) => {
        launcher = Number(statField(Number(statField(pid, 2)), 1)); // the wrapper's parent
        process.kill(launcher, 'SIGKILL');
      },
      async (dag) => {
        await waitFor('the launcher to be gone', async () =>
          [undefined, 'Z'].includes(statField(launcher, 0)) ? true : undefined,
        );
        dag.release('t07');
      },
    );
    expect(retried).toEqual([]);
    expect(view.tasks.t07!.instances.map((i) => i.status)).toEqual(['DONE']);
  });
});
