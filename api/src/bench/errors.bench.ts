import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Dialect } from '../db';
import { ErrorClusterer } from '../domain/error-clusters';
import { insertAttemptRows } from '../testing/attempts';
import { startTestServer } from '../testing/server';

// `npm run bench:errors`: Workflow.errorClusters over 100k failed attempts (BENCH_ATTEMPTS), whose texts
// come from the labelled set (api/src/domain/fixtures) with every number replaced by a random one, so
// nearly every text is distinct. Prints (1) the clustering alone (domain/error-clusters.ts) and (2) the
// whole query on a real server (SQLite by default; BENCH_DIALECT=mysql), reading the attempts a page at a
// time. Goal: under 2 s for 100k.

interface Labelled {
  label: string;
  errorMessage: string | null;
  stderrTail: string | null;
}

const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 100_000);
const DIALECT = (process.env.BENCH_DIALECT ?? 'sqlite') as Dialect;
const TASKS = 10_000;

const labelled = (
  JSON.parse(
    fs.readFileSync(
      path.join(__dirname, '..', '..', 'src', 'domain', 'fixtures', 'labelled-errors.json'),
      'utf8',
    ),
  ) as { messages: Labelled[] }
).messages;

let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const vary = (text: string | null) => text && text.replace(/\d+/g, () => String(Math.floor(random() * 1e6)));

function attempts() {
  return Array.from({ length: ATTEMPTS }, (_, i) => {
    const shape = labelled[i % labelled.length]!;
    return {
      errorMessage: vary(shape.errorMessage),
      stderrTail: vary(shape.stderrTail),
      taskIndex: i % TASKS,
      at: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    };
  });
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

async function main(): Promise<void> {
  console.log(
    `nproc ${os.cpus().length}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, node ${process.version}, ${ATTEMPTS} failed attempts, ${labelled.length} shapes`,
  );
  const rows = attempts();

  const start = process.hrtime.bigint();
  const clusterer = new ErrorClusterer();
  for (const row of rows)
    clusterer.add({
      errorMessage: row.errorMessage,
      stderrTail: row.stderrTail,
      taskId: row.taskIndex,
      templateName: 't',
      at: row.at,
    });
  const clusters = clusterer.clusters();
  console.log(`clustering alone: ${seconds(start).toFixed(3)} s, ${clusters.length} clusters`);

  const server = await startTestServer(DIALECT);
  try {
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { id: string } } }>(
      `mutation ($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`,
      {
        input: {
          tool: 'bench-errors',
          workflowArgs: String(Date.now()),
          taskTemplates: [{ name: 'fit', commandTemplate: 'fit {i}', nodeArgs: ['i'] }],
          tasks: Array.from({ length: TASKS }, (_, i) => ({ key: `t${i}`, template: 'fit', args: { i } })),
        },
      },
    );
    const workflowId = Number(submitted.data!.submitWorkflow.workflow.id);
    const tasks = await server.db.select<{ id: number }>(
      'SELECT id FROM task WHERE workflow_id = ? ORDER BY id',
      [workflowId],
    );
    const loading = process.hrtime.bigint();
    await insertAttemptRows(
      server.db,
      rows.map((row, i) => ({
        taskId: Number(tasks[row.taskIndex]!.id),
        attempt: 1 + Math.floor(i / TASKS),
        status: 'ERROR',
        at: row.at,
        finishedAt: row.at,
        errorMessage: row.errorMessage,
        stderrTail: row.stderrTail,
      })),
    );
    console.log(`(inserted the attempts into ${DIALECT} in ${seconds(loading).toFixed(1)} s)`);
    const query = `query ($id: ID!) { workflow(id: $id) { errorClusters(first: 50) { attempts tasks representative } } }`;
    const times: number[] = [];
    let answer: { attempts: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const started = process.hrtime.bigint();
      const response = await server.graphql<{ workflow: { errorClusters: { attempts: number }[] } }>(query, {
        id: String(workflowId),
      });
      times.push(seconds(started));
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      answer = response.data!.workflow.errorClusters;
    }
    const total = answer.reduce((sum, c) => sum + c.attempts, 0);
    console.log(
      `errorClusters over HTTP on ${DIALECT}: ${times.map((t) => t.toFixed(3)).join(' s, ')} s (3 runs); ` +
        `${answer.length} clusters shown, ${total} attempts in them; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
