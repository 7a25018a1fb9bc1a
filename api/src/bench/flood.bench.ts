import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MAX_FIELDS_PER_RESPONSE_PATH, MAX_QUERY_TOKENS } from '../graphql/limits';
import { bipartite, chain, echoTemplates, submission } from '../testing/fixtures';

// `npm run bench:flood` (after `npx tsc -b api`): the API server as a child process (SQLite, auth off,
// 1 MiB body limit) answers a steady stream of ordinary queries, first alone and then under a flood of
// abusive requests sent by FLOOD_CLIENTS concurrent loops; prints p50/p99/max latency of the ordinary
// queries in both phases and what the flood was answered. A third phase binds a BENCH_BIND_SIDE ×
// BENCH_BIND_SIDE bipartite DAG (1,000 × 1,000: a million edges) through the chunked binding, in chunks under
// the body limit, and prints the ordinary queries' latency until the commit answers.
// Env: BENCH_SECONDS=10 (per phase) · BENCH_FLOOD_CLIENTS=8 · BENCH_NORMAL_CLIENTS=2 · BENCH_BIND_SIDE=1000.

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = int('BENCH_SECONDS', 10);
const FLOOD_CLIENTS = int('BENCH_FLOOD_CLIENTS', 8);
const NORMAL_CLIENTS = int('BENCH_NORMAL_CLIENTS', 2);
const BIND_SIDE = int('BENCH_BIND_SIDE', 1000);
const BODY_LIMIT = 1024 * 1024;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : NaN;

const SUBMIT = 'mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }';

/** The abusive bodies, built once: each is refused (or, for the large legal body, read under the budget). */
function abusiveBodies(workflowId: string): { name: string; body: string }[] {
  let deep = 'id';
  for (let level = 0; level < 20; level += 1) deep = `upstream { ${deep} }`;
  const json = (query: string, variables: Record<string, unknown> = {}) =>
    JSON.stringify({ query, variables });
  const costlyPage = 'tasks(first: 1000) { edges { node { id } } }';
  return [
    {
      name: 'over-deep',
      body: json(`query($id: ID!) { workflow(id: $id) { tasks(first: 1) { edges { node { ${deep} } } } } }`, {
        id: workflowId,
      }),
    },
    { name: 'over-cost', body: json(`{ workflows(first: 1000) { edges { node { ${costlyPage} } } } }`) },
    { name: 'first: 1000000', body: json('{ workflows(first: 1000000) { edges { node { id } } } }') },
    { name: 'malformed GraphQL', body: json('{ workflows(first: ') },
    // 1 MiB of distinct aliases: before the token limit, about 1.7 s of parse and validation each.
    {
      name: 'aliases (1 MiB)',
      body: json(
        `{ ${Array.from({ length: 60_000 }, (_, i) => `a${i}: __typename`)
          .join(' ')
          .slice(0, BODY_LIMIT - 4096)} }`,
      ),
    },
    {
      name: `${MAX_QUERY_TOKENS} tokens + 1`,
      body: json(`{ ${'__typename '.repeat(MAX_QUERY_TOKENS)} }`),
    },
    // Before the repeated-field limit: 300 copies took 230 ms of validation each.
    {
      name: 'one field ×300',
      body: json(`{ ${'tools { id } '.repeat(Math.max(300, MAX_FIELDS_PER_RESPONSE_PATH + 1))} }`),
    },
    // 2^40 fields once expanded in 1.6 KB: before the fragment graph was memoised, it froze the server.
    {
      name: 'doubling fragments',
      body: json(
        `{ ...F40 } fragment F0 on Query { tools { id } }${Array.from(
          { length: 40 },
          (_, i) => ` fragment F${i + 1} on Query { ...F${i} ...F${i} }`,
        ).join('')}`,
      ),
    },
    {
      name: 'body over the limit',
      body: json(SUBMIT, { input: submission(chain(3), { description: 'x'.repeat(BODY_LIMIT) }) }),
    },
    // A legal large body (900 KiB): read within the body budget or refused 503 while another is read.
    {
      name: 'large legal body',
      body: JSON.stringify({ query: '{ __typename }', extensions: { padding: 'x'.repeat(900 * 1024) } }),
    },
  ];
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-flood-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const server = spawn(process.execPath, [path.join(__dirname, '..', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      JOBMON_DATABASE_URL: `sqlite:${path.join(dir, 'flood.sqlite')}`,
      JOBMON_AUTH: 'off',
      JOBMON_BODY_LIMIT: `${BODY_LIMIT}b`,
      JOBMON_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const post = (body: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    for (let tries = 0; ; tries += 1) {
      const ok = await fetch(url.replace('/graphql', '/healthz')).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) break;
      if (tries > 300) throw new Error('the API server did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seeded = (await (
      await post(JSON.stringify({ query: SUBMIT, variables: { input: submission(chain(20)) } }))
    ).json()) as { data: { submitWorkflow: { workflow: { id: string } } } };
    const workflowId = seeded.data.submitWorkflow.workflow.id;
    const normalBody = JSON.stringify({
      query: 'query($id: ID!) { workflow(id: $id) { id status tasks(first: 3) { edges { node { key } } } } }',
      variables: { id: workflowId },
    });
    const abusive = abusiveBodies(workflowId);

    /** A bipartite DAG through the chunked binding: up tasks, then down tasks each below every up task. */
    const bind = async () => {
      const call = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
        const response = await post(JSON.stringify({ query, variables }));
        const body = (await response.json()) as { data?: T; errors?: unknown[] };
        if (!body.data) throw new Error(`binding failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
        return body.data;
      };
      const dag = bipartite(BIND_SIDE);
      const { tasks: _all, ...input } = submission(dag, { taskTemplates: echoTemplates(dag, 'true') });
      const begun = await call<{ beginWorkflowBinding: { bindingId: string } }>(
        'mutation($input: WorkflowBindingInput!) { beginWorkflowBinding(input: $input) { bindingId } }',
        { input },
      );
      const bindingId = begun.beginWorkflowBinding.bindingId;
      const add = (tasks: unknown[]) =>
        call(
          'mutation($id: ID!, $tasks: [TaskInput!]!) { addWorkflowTasks(bindingId: $id, tasks: $tasks) { taskCount } }',
          {
            id: bindingId,
            tasks,
          },
        );
      await add(dag.slice(0, BIND_SIDE));
      // Each down task lists every up key (~7 bytes each): chunks stay under the 1 MiB body limit.
      const perChunk = Math.max(1, Math.floor((BODY_LIMIT * 0.7) / (BIND_SIDE * 7)));
      for (let start = 0; start < BIND_SIDE; start += perChunk)
        await add(dag.slice(BIND_SIDE + start, BIND_SIDE + Math.min(start + perChunk, BIND_SIDE)));
      await call('mutation($id: ID!) { commitWorkflowBinding(bindingId: $id) { created } }', {
        id: bindingId,
      });
    };

    const phase = async (flood: boolean, until?: Promise<unknown>) => {
      const latencies: number[] = [];
      let failures = 0;
      const answered = new Map<string, number>();
      const deadline = performance.now() + SECONDS * 1000;
      let bound = false;
      void until?.finally(() => (bound = true));
      const normal = Array.from({ length: NORMAL_CLIENTS }, async () => {
        while (until ? !bound : performance.now() < deadline) {
          const started = performance.now();
          const response = await post(normalBody);
          const body = (await response.json()) as { data?: { workflow?: { id: string } } };
          latencies.push(performance.now() - started);
          if (response.status !== 200 || body.data?.workflow?.id !== workflowId) failures += 1;
        }
      });
      let next = 0;
      const flooders = flood
        ? Array.from({ length: FLOOD_CLIENTS }, async () => {
            while (performance.now() < deadline) {
              const item = abusive[next++ % abusive.length]!;
              const response = await post(item.body).catch(() => null);
              const text = response ? await response.text() : '';
              const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? 'none';
              const key = `${item.name} → ${response?.status ?? 'failed'} ${code}`;
              answered.set(key, (answered.get(key) ?? 0) + 1);
            }
          })
        : [];
      await Promise.all([...normal, ...flooders, until]);
      latencies.sort((a, b) => a - b);
      return { latencies, failures, answered };
    };

    await phase(false); // warm-up: JIT, caches, connection pool
    const quiet = await phase(false);
    const flooded = await phase(true);
    const bindStarted = performance.now();
    const binding = await phase(false, bind());
    const bindSeconds = (performance.now() - bindStarted) / 1000;
    console.log(
      `flood bench: ${os.availableParallelism()} cores (nproc), Node ${process.version}, SQLite, server a child ` +
        `process; ${NORMAL_CLIENTS} ordinary clients, ${FLOOD_CLIENTS} flood clients, ${SECONDS} s per phase`,
    );
    console.log(
      '\n| phase | ordinary queries | failed | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|',
    );
    for (const [name, result] of [
      ['alone', quiet],
      ['under flood', flooded],
      [`binding ${BIND_SIDE} × ${BIND_SIDE} edges (${bindSeconds.toFixed(1)} s)`, binding],
    ] as const)
      console.log(
        `| ${name} | ${result.latencies.length} | ${result.failures} | ${percentile(result.latencies, 0.5).toFixed(2)} | ` +
          `${percentile(result.latencies, 0.99).toFixed(2)} | ${result.latencies.at(-1)?.toFixed(2)} |`,
      );
    const total = [...flooded.answered.values()].reduce((sum, count) => sum + count, 0);
    console.log(`\nflood: ${total} requests (${Math.round(total / SECONDS)}/s)`);
    console.log('| abusive request → answer | count |\n|---|---|');
    for (const [key, count] of [...flooded.answered].sort()) console.log(`| ${key} | ${count} |`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
