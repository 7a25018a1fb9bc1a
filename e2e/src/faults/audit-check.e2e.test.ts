import fs from 'node:fs';
import path from 'node:path';
import { shellSubmission, shellTask, testDialects } from '@jobmon/api/testing';
import { auditProblems } from '../testing/audit-check';
import { finalView, gqlClient, submitWorkflow } from '../testing/e2e';
import { startLocalStack, type LocalStack } from '../testing/local-stack';

// The check the fault tests end with finds what it is meant to find: a complete log of a real run
// passes, and the same log with an event missing, or with a task run again after DONE, does not.

describe.each(testDialects())('the audit completeness check [%s]', (dialect) => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack(dialect, 'audit-check');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('passes a real run, and names a missing event and a task run again after DONE', async () => {
    const { server, dir } = stack;
    const gql = gqlClient(server.url);
    // `a` fails once, so that it has an earlier attempt to move after its DONE.
    fs.writeFileSync(
      path.join(dir, 'flaky.sh'),
      `[ -f ${dir}/flaky.ok ] || { touch ${dir}/flaky.ok; exit 3; }\n`,
    );
    const id = await submitWorkflow(
      gql,
      shellSubmission(dir, [shellTask('a', 'flaky.sh'), shellTask('b', 'flaky.sh', { upstream: ['a'] })]),
    );
    expect((await finalView(gql, id)).status).toBe('DONE');
    expect(await auditProblems(server.db, id)).toEqual([]);

    const taskEvent = async (key: string, toStatus: string) =>
      (
        await server.db.select<{ id: number; entity_id: number }>(
          `SELECT a.id, a.entity_id FROM audit_event a JOIN task t ON t.id = a.entity_id
           WHERE a.entity_type = 'TASK' AND t.workflow_id = ? AND t.task_key = ? AND a.to_status = ?`,
          [Number(id), key, toStatus],
        )
      )[0]!;
    const bQueued = await taskEvent('b', 'QUEUED');
    await server.db.execute('DELETE FROM audit_event WHERE id = ?', [bQueued.id]);
    expect(await auditProblems(server.db, id)).toEqual([
      expect.stringMatching(
        new RegExp(`^TASK:${bQueued.entity_id}: audit row \\d+ goes QUEUED → \\w+, but it was REGISTERING$`),
      ),
    ]);

    // The failed first attempt of `a` as if it had started after `a` was DONE, and ended DONE.
    const [first] = await server.db.select<{ id: number }>(
      `SELECT a.id FROM audit_event a JOIN task_instance i ON i.id = a.entity_id JOIN task t ON t.id = i.task_id
       WHERE a.entity_type = 'TASK_INSTANCE' AND t.workflow_id = ? AND t.task_key = 'a' AND i.attempt = 1
         AND a.to_status = 'RUNNING'`,
      [Number(id)],
    );
    const [{ last }] = (await server.db.select<{ last: number }>(
      'SELECT MAX(id) AS last FROM audit_event',
    )) as [{ last: number }];
    await server.db.execute('UPDATE audit_event SET id = ? WHERE id = ?', [Number(last) + 1, first!.id]);
    const aDone = await taskEvent('a', 'DONE');
    const problems = await auditProblems(server.db, id);
    expect(problems).toContainEqual(
      expect.stringMatching(
        new RegExp(`^TASK:${aDone.entity_id} ran again after DONE: instance \\d+ started`),
      ),
    );
  });
});
