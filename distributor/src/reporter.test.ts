import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLClient } from './client';
import type { ReportMutationVariables } from './generated/graphql';
import { logger } from './logger';
import { Reporter, type ReporterHooks } from './reporter';

// The reporter against a stand-in server that records every request: batching, retries, refusals.

interface Received {
  variables: ReportMutationVariables;
}

/** Resolves once `condition` holds (checked every 5 ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

class FakeServer {
  readonly received: Received[] = [];
  /** Requests whose body has arrived (answered or not yet). */
  arrived = 0;
  /** Answer delay (ms). */
  delayMs = 0;
  /** Answer 503 this many more times. */
  failures = 0;
  /** Refuse (BAD_USER_INPUT) any request that carries a finished report with this id. */
  poison: string | undefined;
  /** Refuse the REPORT_REFUSED report of the poisoned id too. */
  poisonFallback = false;
  /** Answer 500 INTERNAL_SERVER_ERROR to any request that carries a finished report with this id. */
  crash: string | undefined;
  /** Finished reports refused or failed so far. */
  refusals = 0;
  private server: http.Server | undefined;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.arrived += 1;
        const { variables } = JSON.parse(body) as { variables: ReportMutationVariables };
        setTimeout(() => {
          const reply = (status: number, payload: unknown) => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(payload));
          };
          if (this.failures > 0) {
            this.failures -= 1;
            return reply(503, {
              errors: [{ message: 'db down', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
            });
          }
          const finished = ([] as { id: string; errorKind?: string | null }[]).concat(variables.finished);
          const hit = (id: string | undefined) =>
            finished.some(
              (report) => report.id === id && (this.poisonFallback || report.errorKind !== 'REPORT_REFUSED'),
            );
          if (hit(this.poison)) {
            this.refusals += 1;
            return reply(400, {
              errors: [{ message: 'bad report', extensions: { code: 'BAD_USER_INPUT' } }],
            });
          }
          if (hit(this.crash)) {
            this.refusals += 1;
            return reply(500, {
              errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
            });
          }
          this.received.push({ variables });
          const result = (ids: string[]) => ({ accepted: ids, ignored: [], killInstanceIds: [] });
          const ids = (list: { id: string } | { id: string }[]) =>
            ([] as { id: string }[]).concat(list).map((r) => r.id);
          const claimed = Array.from({ length: variables.claimLimit }, (_, i) => ({ id: `c${i}` }));
          reply(200, {
            data: {
              ...(variables.withLaunches ? { launched: result(ids(variables.launches)) } : {}),
              ...(variables.withRunning ? { running: result(ids(variables.running)) } : {}),
              ...(variables.withFinished
                ? { finished: { ...result(ids(variables.finished)), claimed } }
                : {}),
              ...(variables.withClaim ? { claimed } : {}),
            },
          });
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  finishedReports(): Record<string, unknown>[] {
    return this.received.flatMap((r) => ([] as Record<string, unknown>[]).concat(r.variables.finished));
  }

  finishedIds(): string[] {
    return this.received.flatMap((r) =>
      ([] as { id: string }[]).concat(r.variables.finished).map((f) => f.id),
    );
  }
}

function setup(
  server: FakeServer,
  hooks: Partial<ReporterHooks> = {},
  delays: { launchMs?: number; runningMs?: number; finishedMs?: number } = {},
) {
  const delivered: string[] = [];
  const claimed: string[] = [];
  const reporter = new Reporter(
    new GraphQLClient({ serverUrl: `http://127.0.0.1:${server.port}`, timeoutMs: 5_000 }),
    {
      distributorId: () => '1',
      claimLimit: () => 0,
      onClaimed: (instances) => claimed.push(...instances.map((i) => i.id)),
      onKill: () => undefined,
      onDelivered: (ids) => delivered.push(...ids),
      ...hooks,
    },
    logger,
    delays,
  );
  return { reporter, delivered, claimed };
}

const finished = (id: string) => ({ id, outcome: 'DONE' as const, exitCode: 0 });

describe('Reporter', () => {
  let server: FakeServer;
  beforeEach(async () => {
    server = new FakeServer();
    await server.start();
  });
  afterEach(async () => server.stop());

  it('sends a report at once when idle, and coalesces what comes while a request is in flight', async () => {
    server.delayMs = 100;
    const { reporter, delivered } = setup(server);
    reporter.finishedReport(finished('1'));
    await until(() => server.arrived === 1); // the first request is in flight: answered in 100 ms
    for (let i = 2; i <= 50; i++) {
      reporter.launched({ id: `l${i}`, backendJobId: `j${i}` });
      reporter.runningReport({ id: `r${i}` });
      reporter.finishedReport(finished(String(i)));
    }
    expect(await reporter.drain(5_000)).toBe(true);
    expect(server.received.length).toBe(2);
    expect(server.received[0]!.variables.finished).toEqual([finished('1')]);
    const second = server.received[1]!.variables;
    expect([second.withLaunches, second.withRunning, second.withFinished]).toEqual([true, true, true]);
    expect(([] as unknown[]).concat(second.launches).length).toBe(49);
    expect(([] as unknown[]).concat(second.running).length).toBe(49);
    expect(([] as unknown[]).concat(second.finished).length).toBe(49);
    expect(delivered.length).toBe(50);
  });

  it('sends RUNNING before the outcome of an instance in one request, and no superseded launch', async () => {
    server.delayMs = 100;
    const { reporter } = setup(server);
    reporter.finishedReport(finished('0'));
    await until(() => server.arrived === 1); // in flight
    reporter.launched({ id: '1', backendJobId: null });
    reporter.runningReport({ id: '1', backendJobId: 'j1' });
    reporter.launched({ id: '2', backendJobId: null });
    reporter.finishedReport(finished('1'));
    reporter.launched({ id: '3', backendJobId: null });
    reporter.finishedReport(finished('3'));
    await reporter.drain(5_000);
    const second = server.received[1]!.variables;
    expect(second.launches).toEqual([{ id: '2', backendJobId: null }]);
    expect(second.running).toEqual([{ id: '1', backendJobId: 'j1' }]);
    expect(second.finished).toEqual([finished('1'), finished('3')]);
  });

  it('holds a launch report back a moment: a start soon after makes it unnecessary', async () => {
    const { reporter } = setup(server);
    reporter.launched({ id: '1', backendJobId: null });
    reporter.launched({ id: '2', backendJobId: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.received.length).toBe(0);
    reporter.runningReport({ id: '1', backendJobId: 'j1' });
    expect(await reporter.drain(5_000)).toBe(true);
    const launches = server.received.flatMap((r) => ([] as { id: string }[]).concat(r.variables.launches));
    expect(launches.map((launch) => launch.id)).toEqual(['2']);
    const running = server.received.flatMap((r) => ([] as { id: string }[]).concat(r.variables.running));
    expect(running.map((report) => report.id)).toEqual(['1']);
  });

  it("holds a running report back until its command's end, and sends both in one request", async () => {
    const { reporter } = setup(server, {}, { runningMs: 60_000 });
    reporter.runningReport({ id: '1', backendJobId: 'j1' });
    reporter.finishedReport(finished('0'));
    await until(() => server.received.length === 1);
    expect(server.received[0]!.variables).toMatchObject({ withRunning: false, finished: [finished('0')] });
    reporter.finishedReport(finished('1'));
    expect(await reporter.drain(5_000)).toBe(true);
    expect(server.received.length).toBe(2);
    expect(server.received[1]!.variables).toMatchObject({
      withRunning: true,
      running: [{ id: '1', backendJobId: 'j1' }],
      withFinished: true,
      finished: [finished('1')],
    });
  });

  it('holds finished reports while the backend has work waiting: they go together when it runs short, with any other request, or after their moment', async () => {
    let starving = false;
    // One instance per claim asked for; none once it came (the stand-in always fills a claim).
    let limit = 1;
    const claimed: string[] = [];
    const { reporter } = setup(
      server,
      {
        urgent: () => starving,
        claimLimit: () => limit,
        onClaimed: (instances) => {
          claimed.push(...instances.map((instance) => instance.id));
          limit = 0;
        },
      },
      { runningMs: 60_000, finishedMs: 60_000 },
    );
    reporter.runningReport({ id: '1', backendJobId: 'j1' });
    reporter.finishedReport(finished('1'));
    reporter.finishedReport(finished('2'));
    starving = true;
    reporter.finishedReport(finished('3'));
    // The stand-in server records the request before its answer reaches the reporter: wait for both.
    await until(() => server.received.length === 1 && claimed.length > 0);
    // One request for the three ends, with the RUNNING of the first and a claim.
    expect(server.received[0]!.variables).toMatchObject({
      running: [{ id: '1', backendJobId: 'j1' }],
      finished: [finished('1'), finished('2'), finished('3')],
      claimLimit: 1,
    });
    expect(claimed).toEqual(['c0']);
    starving = false;
    reporter.finishedReport(finished('4'));
    limit = 1;
    reporter.wantClaim(); // a request that goes anyway takes it along
    await until(() => server.received.length === 2);
    expect(server.received[1]!.variables).toMatchObject({ finished: [finished('4')], claimLimit: 1 });

    const later = setup(server, { urgent: () => false }, { finishedMs: 1 });
    later.reporter.finishedReport(finished('5'));
    await until(() => server.received.length === 3);
    expect(server.received[2]!.variables.finished).toEqual([finished('5')]);
    expect(await reporter.drain(5_000)).toBe(true);
    expect(server.received.length).toBe(3);
  });

  it('sends a held running report by itself once its moment is over', async () => {
    const { reporter } = setup(server, {}, { runningMs: 1 });
    reporter.runningReport({ id: '1', backendJobId: 'j1' });
    await until(() => server.received.length === 1);
    expect(server.received[0]!.variables).toMatchObject({
      withRunning: true,
      running: [{ id: '1', backendJobId: 'j1' }],
      withFinished: false,
    });
  });

  it('claims with the finished reports, and claims again while claims come back full', async () => {
    let free = 5;
    const { reporter, claimed } = setup(server, {
      claimLimit: () => free,
      onClaimed: (instances) => {
        claimed.push(...instances.map((i) => i.id));
        free = 0;
      },
    });
    reporter.finishedReport(finished('1'));
    await reporter.drain(5_000);
    expect(server.received[0]!.variables).toMatchObject({
      withFinished: true,
      withClaim: false,
      claimLimit: 5,
    });
    expect(claimed.length).toBe(5);
    // Nothing free any more: a wanted claim sends nothing.
    reporter.wantClaim();
    await reporter.drain(5_000);
    expect(server.received.length).toBe(1);
    free = 2;
    reporter.wantClaim();
    await reporter.drain(5_000);
    expect(server.received[1]!.variables).toMatchObject({
      withFinished: false,
      withClaim: true,
      claimLimit: 2,
    });
  });

  it('keeps every report through server errors and a server that is away, and delivers them later', async () => {
    server.failures = 2;
    const { reporter, delivered } = setup(server);
    reporter.finishedReport(finished('a'));
    await reporter.drain(5_000);
    expect(delivered).toEqual(['a']);

    const port = server.port;
    await server.stop();
    for (const id of ['b', 'c', 'd']) reporter.finishedReport(finished(id));
    await new Promise((resolve) => setTimeout(resolve, 700)); // a few failed attempts
    expect(reporter.pending()).toBe(3);
    server = new FakeServer();
    await server.start(port);
    expect(await reporter.drain(10_000)).toBe(true);
    expect(server.finishedIds().sort()).toEqual(['b', 'c', 'd']);
    expect(delivered.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sends a refused batch again one report at a time, and ends the refused attempt as REPORT_REFUSED', async () => {
    server.poison = 'bad';
    const { reporter, delivered } = setup(server);
    for (const id of ['1', 'bad', '2']) reporter.finishedReport(finished(id));
    expect(await reporter.drain(10_000)).toBe(true);
    expect(server.finishedIds().sort()).toEqual(['1', '2', 'bad']);
    expect(server.finishedReports().find((report) => report.id === 'bad')).toEqual({
      id: 'bad',
      outcome: 'ERROR',
      errorKind: 'REPORT_REFUSED',
      errorMessage: "the server refused this attempt's DONE report (BAD_USER_INPUT): bad report",
      exitCode: 0,
    });
    expect(delivered.sort()).toEqual(['1', '2', 'bad']);
  });

  it('drops a REPORT_REFUSED report the server refuses too: nothing is sent for ever', async () => {
    server.poison = 'bad';
    server.poisonFallback = true;
    const { reporter, delivered } = setup(server);
    reporter.finishedReport(finished('bad'));
    expect(await reporter.drain(10_000)).toBe(true);
    // The report, then its REPORT_REFUSED replacement, each refused once.
    expect(server.refusals).toBe(2);
    expect(delivered).toEqual(['bad']);
    expect(reporter.pending()).toBe(0);
  });

  it('ends an attempt whose report always meets an internal error as REPORT_REFUSED', async () => {
    server.crash = 'stuck';
    const { reporter, delivered } = setup(server);
    reporter.finishedReport(finished('stuck'));
    reporter.finishedReport(finished('fine'));
    expect(await reporter.drain(60_000)).toBe(true);
    const stored = server.finishedReports().find((report) => report.id === 'stuck');
    expect(stored).toMatchObject({ outcome: 'ERROR', errorKind: 'REPORT_REFUSED' });
    expect(String(stored!.errorMessage)).toContain('INTERNAL_SERVER_ERROR');
    expect(server.finishedIds().sort()).toEqual(['fine', 'stuck']);
    expect(delivered.sort()).toEqual(['fine', 'stuck']);
  }, 90_000);
});
