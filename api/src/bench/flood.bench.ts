import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MAX_ITEMS_PER_REQUEST } from '@jobmon/core';
import { MAX_FIELDS_PER_RESPONSE_PATH, MAX_QUERY_TOKENS } from '../graphql/limits';
import { createTestDatabase } from '../testing/databases';
import { bipartite, chain, echoTemplates, submission } from '../testing/fixtures';

// `npm run bench:flood` (after `npx tsc -b`): the API server as a child process (SQLite, or MariaDB with
// BENCH_DIALECT=mysql; auth off, 1 MiB body limit) answers a steady stream of ordinary queries, alone, under
// a flood of all the abusive requests sent by FLOOD_CLIENTS concurrent loops, and under a flood of each kind
// alone; prints p50/p99/max latency of the ordinary queries per phase, and per attack kind the longest an
// abusive request took to be answered. A last phase binds a BENCH_BIND_SIDE × BENCH_BIND_SIDE bipartite
// DAG (1,000 × 1,000: a million edges) through the TypeScript SDK (which cuts it by the server's
// maxItemsPerRequest) and prints the ordinary queries' latency until the commit answers.
// Env: BENCH_DIALECT=sqlite|mysql · BENCH_SECONDS=10 (per phase) · BENCH_KIND_SECONDS=4 (per attack kind)
// · BENCH_FLOOD_CLIENTS=8 · BENCH_NORMAL_CLIENTS=2 · BENCH_BIND_SIDE=1000.

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = int('BENCH_SECONDS', 10);
const FLOOD_CLIENTS = int('BENCH_FLOOD_CLIENTS', 8);
const NORMAL_CLIENTS = int('BENCH_NORMAL_CLIENTS', 2);
const KIND_SECONDS = int('BENCH_KIND_SECONDS', 4);
const BIND_SIDE = int('BENCH_BIND_SIDE', 1000);
const DIALECT = process.env.BENCH_DIALECT === 'mysql' ? 'mysql' : 'sqlite';
const BODY_LIMIT = 1024 * 1024;

/** The part of the TypeScript SDK this bench drives (loaded at run time: the api package does not build on it). */
interface Sdk {
  JobmonClient: new (options: { serverUrl: string; timeoutMs?: number }) => unknown;
  Tool: new (name: string) => {
    taskTemplate(spec: { name: string; commandTemplate: string }): {
      createTask(spec: { args: Record<string, unknown> }): { addUpstream(task: unknown): unknown };
    };
    workflow(spec: { workflowArgs: string; maxConcurrentlyRunning?: number }): {
      addTasks(...tasks: unknown[]): {
        submit(options: {
          client: unknown;
          onChunk?: (progress: { sentTasks: number }) => void;
        }): Promise<string>;
      };
    };
  };
}

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
    // Few bytes, many items (240 tasks, 14,400 edges): refused before its variables are coerced.
    {
      name: `over ${DEFAULT_MAX_ITEMS_PER_REQUEST} items`,
      body: json(SUBMIT, {
        input: submission(bipartite(120), { taskTemplates: echoTemplates(bipartite(120), 'true') }),
      }),
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

/** A bipartite DAG through the TypeScript SDK: up tasks, then down tasks each below every up task. */
async function bindThroughSdk(serverUrl: string): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@jobmon/client-sdk') as Sdk;
  const tool = new sdk.Tool('flood-bench');
  const up = tool.taskTemplate({ name: 'u', commandTemplate: 'true {i}' });
  const down = tool.taskTemplate({ name: 'd', commandTemplate: 'true {i}' });
  const uppers = Array.from({ length: BIND_SIDE }, (_, i) => up.createTask({ args: { i } }));
  const lowers = Array.from({ length: BIND_SIDE }, (_, i) => down.createTask({ args: { i } }));
  for (const lower of lowers) for (const upper of uppers) lower.addUpstream(upper);
  let requests = 0;
  await tool
    .workflow({ workflowArgs: `flood-${process.pid}`, maxConcurrentlyRunning: 0 })
    .addTasks(...uppers, ...lowers)
    .submit({
      client: new sdk.JobmonClient({ serverUrl, timeoutMs: 600_000 }),
      onChunk: () => (requests += 1),
    });
  return requests;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-flood-'));
  const database = await createTestDatabase(DIALECT);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const server = spawn(process.execPath, [path.join(__dirname, '..', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      JOBMON_DATABASE_URL: database.url,
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

    /**
     * The SDK's binding in a process of its own, as a user's would be: building and checking a million
     * edges is synchronous work of the client that must not delay this process's ordinary queries.
     */
    const bind = () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [__filename, 'bind', url.replace('/graphql', '')], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.once('error', reject);
        child.once('exit', (code) =>
          code === 0 ? resolve(Number(out.trim())) : reject(new Error(`the SDK binding exited ${code}`)),
        );
      });

    const phase = async (
      flood: readonly { name: string; body: string }[],
      until?: Promise<unknown>,
      seconds = SECONDS,
    ) => {
      const latencies: number[] = [];
      /** The longest an abusive request of each kind took to be answered. */
      const attackMax = new Map<string, number>();
      let failures = 0;
      const answered = new Map<string, number>();
      const deadline = performance.now() + seconds * 1000;
      let bound = false;
      // Its failure is reported by the Promise.all below; this branch only stops the ordinary clients
      // (left unhandled, it would end the process before the server and the database are removed).
      void until?.finally(() => (bound = true)).catch(() => undefined);
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
      const flooders =
        flood.length > 0
          ? Array.from({ length: FLOOD_CLIENTS }, async () => {
              while (performance.now() < deadline) {
                const item = flood[next++ % flood.length]!;
                const started = performance.now();
                const response = await post(item.body).catch(() => null);
                const text = response ? await response.text() : '';
                const took = performance.now() - started;
                attackMax.set(item.name, Math.max(attackMax.get(item.name) ?? 0, took));
                const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? 'none';
                const key = `${item.name} → ${response?.status ?? 'failed'} ${code}`;
                answered.set(key, (answered.get(key) ?? 0) + 1);
              }
            })
          : [];
      await Promise.all([...normal, ...flooders, until]);
      latencies.sort((a, b) => a - b);
      return { latencies, failures, answered, attackMax };
    };

    await phase([]); // warm-up: JIT, caches, connection pool
    const quiet = await phase([]);
    // The binding before the floods: a refused flood request closes its connection, and the SDK would
    // find such a socket in the shared pool.
    const bindStarted = performance.now();
    let bindRequests = 0;
    const binding = await phase(
      [],
      bind().then((requests) => (bindRequests = requests)),
    );
    const bindSeconds = (performance.now() - bindStarted) / 1000;
    const flooded = await phase(abusive);
    const perKind: [string, Awaited<ReturnType<typeof phase>>][] = [];
    for (const kind of abusive) perKind.push([kind.name, await phase([kind], undefined, KIND_SECONDS)]);
    const row = (name: string, result: Awaited<ReturnType<typeof phase>>, attack = '') =>
      `| ${name} | ${result.latencies.length} | ${result.failures} | ${percentile(result.latencies, 0.5).toFixed(1)} | ` +
      `${percentile(result.latencies, 0.99).toFixed(1)} | ${result.latencies.at(-1)?.toFixed(1)} | ${attack} |`;
    console.log(
      `flood bench: ${os.availableParallelism()} cores (nproc), Node ${process.version}, ${DIALECT}, server a child ` +
        `process; ${NORMAL_CLIENTS} ordinary clients, ${FLOOD_CLIENTS} flood clients, ${SECONDS} s per phase, ` +
        `${KIND_SECONDS} s per attack kind; load average ${os
          .loadavg()
          .map((load) => load.toFixed(2))
          .join(' ')}`,
    );
    console.log(
      '\n| phase | ordinary queries | failed | p50 ms | p99 ms | max ms | longest abusive request ms |\n|---|---|---|---|---|---|---|',
    );
    console.log(row('alone', quiet));
    console.log(row('under the mixed flood', flooded, Math.max(...flooded.attackMax.values()).toFixed(0)));
    for (const [name, result] of perKind)
      console.log(row(`flood of ${name}`, result, (result.attackMax.get(name) ?? NaN).toFixed(0)));
    console.log(
      row(
        `binding ${BIND_SIDE} × ${BIND_SIDE} edges through the SDK (${bindRequests} chunks, ${bindSeconds.toFixed(1)} s)`,
        binding,
      ),
    );
    const total = [...flooded.answered.values()].reduce((sum, count) => sum + count, 0);
    console.log(`\nmixed flood: ${total} requests (${Math.round(total / SECONDS)}/s)`);
    console.log('| abusive request → answer | count |\n|---|---|');
    for (const [key, count] of [...flooded.answered].sort()) console.log(`| ${key} | ${count} |`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
    await database.drop();
  }
}

(process.argv[2] === 'bind'
  ? bindThroughSdk(process.argv[3]!).then((requests) => console.log(requests))
  : main()
).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
