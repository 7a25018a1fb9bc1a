import fs from 'node:fs';
import path from 'node:path';
import { Relay, testDialects } from '@jobmon/api/testing';
import { finalView, gqlClient, submitWorkflow, waitFor } from '../testing/e2e';
import { expectRunIntact, faultDag } from '../testing/fault-dag';
import { startLocalStack, type LocalStack } from '../testing/local-stack';
import { subscribeTaskEvents, taskEventsInLog, type TaskEvent } from '../testing/task-events';

// A graphql-ws subscriber of taskStatusChanged whose socket is cut in the middle of a run, and which
// subscribes again with `since: <the last event id it applied>`: over both connections it must receive
// exactly the workflow's task events of the audit log — none missing, none twice, in id order.

jest.setTimeout(120_000);

describe.each(testDialects())(
  'a taskStatusChanged subscriber that drops and resumes with since [%s]',
  (dialect) => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await startLocalStack(dialect, 'subscription-resume');
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it('receives every task event of the audit log exactly once, in order, over both connections', async () => {
      const { server } = stack;
      const relay = new Relay({ host: '127.0.0.1', port: Number(new URL(server.url).port) });
      await relay.open();
      const url = `ws://127.0.0.1:${relay.port}/graphql`;
      const dir = path.join(stack.dir, 'run');
      fs.mkdirSync(dir);
      const dag = faultDag(dir, { seconds: 0.3 });
      const gql = gqlClient(server.url);
      const id = await submitWorkflow(gql, dag.input);

      const received: TaskEvent[][] = [[], []];
      const apply = (connection: number) => (event: TaskEvent) => received[connection]!.push(event);
      const lastId = () => [...received[0]!, ...received[1]!].at(-1)?.id ?? '0';
      const first = subscribeTaskEvents(url, id, '0', apply(0));
      let second: ReturnType<typeof subscribeTaskEvents> | undefined;
      try {
        await dag.waitForProgress(5, 2);
        await waitFor('events on the first connection', async () =>
          received[0]!.length > 0 ? true : undefined,
        );
        await relay.cut();
        expect(await first.ended).toMatch(/^error/);
        // Changes happen while it is away.
        const endedAtCut = [...dag.ended().values()].length;
        await waitFor('commands to end while the subscriber is away', async () =>
          [...dag.ended().values()].length >= endedAtCut + 3 ? true : undefined,
        );
        await relay.open();
        second = subscribeTaskEvents(url, id, lastId(), apply(1));

        expect((await finalView(gql, id, 90_000)).status).toBe('DONE');
        const log = await taskEventsInLog(server.db, id);
        await waitFor('the subscriber to catch up with the log', async () =>
          lastId() === log.at(-1)!.id ? true : undefined,
        );
        expect(received[0]!.length).toBeGreaterThan(0);
        expect(received[1]!.length).toBeGreaterThan(0);
        expect([...received[0]!, ...received[1]!]).toEqual(log);
        expectRunIntact(dag, await finalView(gql, id));
      } finally {
        first.close();
        second?.close();
        await relay.cut();
      }
    });
  },
);
