import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { JobmonClient } from '@jobmon/client-sdk';
import { runServer, type RunningServer } from '@jobmon/api/server-command';
import {
  createTestDatabase,
  createTestTokens,
  echoTemplates,
  submission,
  task,
  testDialects,
} from '@jobmon/api/testing';
import { Role } from '@jobmon/api';
import { auditProblems } from '../testing/audit-check';
import { finalView, submitWorkflow, type Gql } from '../testing/e2e';

// `jobmon server` with tokens on: its embedded distributor reports and claims through the API of its own
// process (no HTTP request of its own reaches the server), under its own distributor token, and runs
// its owner's workflow to the end with a complete audit chain.

jest.setTimeout(180_000);

describe.each(testDialects())('the embedded distributor of `jobmon server` [%s]', (dialect) => {
  let running: RunningServer | undefined;
  let drop: (() => Promise<void>) | undefined;
  let dir: string;
  /** The bearer tokens of the HTTP requests to /graphql. */
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-embedded-'));
    const target = await createTestDatabase(dialect);
    drop = () => target.drop();
    running = await runServer({
      port: 0,
      databaseUrl: target.url,
      auth: true,
      owner: 'erin',
      slots: 2,
      logDir: path.join(dir, 'logs'),
    });
    running.server.httpServer.prependListener('request', (req: http.IncomingMessage) => {
      if (req.url?.startsWith('/graphql')) seen.push(req.headers.authorization);
    });
  });

  afterAll(async () => {
    await running?.stop();
    await drop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs its owner’s workflow to the end without an HTTP request of its own', async () => {
    const { erin } = await createTestTokens(running!.server.db, { erin: ['erin', Role.USER] });
    const client = new JobmonClient({ serverUrl: running!.server.url, token: erin });
    const gql: Gql = (query, variables) =>
      client.query<Record<string, unknown>, Record<string, unknown>>(query, variables ?? {});
    const tasks = [
      ...Array.from({ length: 4 }, (_, i) => task(`a${i}`, [], { args: { n: i } })),
      ...Array.from({ length: 4 }, (_, i) => task(`b${i}`, [`a${i}`], { args: { n: 10 + i } })),
    ];
    const id = await submitWorkflow(gql, submission(tasks, { taskTemplates: echoTemplates(tasks, 'true') }));
    const view = await finalView(gql, id, 120_000);
    expect(view.status).toBe('DONE');
    for (const { key } of tasks) expect(view.tasks[key]!.instances.map((i) => i.status)).toEqual(['DONE']);
    expect(await auditProblems(running!.server.db, id)).toEqual([]);
    expect(running!.distributor!.stats().requests).toBeGreaterThan(0);
    // Every request over HTTP was the test's own: the distributor's went in process.
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([`Bearer ${erin}`]));
  });
});
