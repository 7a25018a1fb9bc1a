import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { API_MAIN_JS, startApiChild, stopApiChild, type ApiChild } from '../testing/api-process';

// Tracing of the built API (`node api/dist/main.js`, from `npx tsc -b`) as a child process, exporting to a
// fake OTLP/HTTP collector: a request that carries a `traceparent` is continued by the HTTP span, the
// GraphQL operation, its root field and its database transaction. Without OTEL_EXPORTER_OTLP_ENDPOINT
// nothing is exported and the SDK is never loaded. (SQLite only: the database plays no part here.)

const API_DIST = path.resolve(__dirname, '..', '..', 'dist');
const MAIN_JS = API_MAIN_JS;

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: Record<string, unknown> }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** An OTLP/HTTP collector that keeps every JSON body posted to /v1/traces. */
async function startCollector(port = 0) {
  const exports: OtlpExport[] = [];
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces')
        exports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    spans: () => exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))),
    serviceNames: () =>
      exports.flatMap((e) =>
        e.resourceSpans.map(
          (r) => r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Starts the built server on a SQLite database in `dir`, without the test process's OTLP endpoint. */
function startApi(dir: string, env: NodeJS.ProcessEnv): Promise<ApiChild> {
  return startApiChild(
    {
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
      JOBMON_DATABASE_URL: `sqlite:${path.join(dir, 'jobmon.sqlite')}`,
      JOBMON_AUTH: 'off',
      ...env,
    },
    60_000,
  );
}

const REGISTER = `mutation RegisterForTrace {
  registerDistributor(input: { name: "traced", backend: "dummy" }) { id }
}`;

describe('OpenTelemetry tracing of the API process', () => {
  let dir: string;
  const children: ApiChild[] = [];

  beforeAll(() => {
    if (!fs.existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: build first (npx tsc -b)`);
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-tracing-'));
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((api) => stopApiChild(api)));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports a span per GraphQL operation in the trace of the incoming traceparent, flushed on SIGTERM', async () => {
    const collector = await startCollector();
    try {
      const api = await startApi(dir, {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_SERVICE_NAME: 'jobmon-api-test',
        // Nothing is sent on schedule within the test: the spans arrive through the flush on SIGTERM.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      });
      children.push(api);
      const { url } = api;
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const callerSpanId = '00f067aa0ba902b7';
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpanId}-01` },
        body: JSON.stringify({ query: REGISTER, operationName: 'RegisterForTrace' }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();

      // An operation that fails carries its error code.
      const failed = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query MissingWorkflow { workflow(id: "987654") { id } }' }),
      });
      expect(failed.status).toBe(200);
      expect(collector.requests).toBe(0);
      expect(await stopApiChild(api)).toBe(0);

      const named = (name: string) => collector.spans().find((span) => span.name === name);
      const operation = named('graphql mutation RegisterForTrace')!;
      expect(operation).toBeDefined();
      expect(operation.traceId).toBe(traceId);
      expect(operation.attributes).toEqual(
        expect.arrayContaining([
          { key: 'graphql.operation.name', value: { stringValue: 'RegisterForTrace' } },
          { key: 'graphql.operation.type', value: { stringValue: 'mutation' } },
        ]),
      );
      // The HTTP server span continues the caller's span; the operation, its root field and the
      // transaction nest under it.
      const httpSpan = collector.spans().find((span) => span.spanId === operation.parentSpanId)!;
      expect(httpSpan).toBeDefined();
      expect(httpSpan.parentSpanId).toBe(callerSpanId);
      const field = named('graphql.resolve registerDistributor')!;
      expect(field.parentSpanId).toBe(operation.spanId);
      const transaction = named('db.transaction')!;
      expect(transaction).toMatchObject({ traceId, parentSpanId: field.spanId });
      expect(collector.serviceNames()).toContain('jobmon-api-test');
      expect(named('graphql query MissingWorkflow')!.attributes).toContainEqual({
        key: 'graphql.error.code',
        value: { stringValue: 'NOT_FOUND' },
      });
    } finally {
      await collector.close();
    }
  });

  it('exports nothing, and loads no OpenTelemetry SDK, without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    // The exporter's default target is localhost:4318: listen there when free, to see any stray export.
    const collector = await startCollector(4318).catch(() => startCollector());
    try {
      const api = await startApi(dir, { OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_SERVICE_NAME: 'x' });
      children.push(api);
      const { url } = api;
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        },
        body: JSON.stringify({ query: REGISTER }),
      });
      expect(response.status).toBe(200);
      // A clean exit flushes whatever a tracer would have buffered.
      expect(await stopApiChild(api)).toBe(0);
      expect(collector.requests).toBe(0);
    } finally {
      await collector.close();
    }
    // prom-client loads the OpenTelemetry API (a no-op facade) for exemplars; the SDK stays unloaded.
    const probe = spawnSync(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(path.join(API_DIST, 'observability', 'register-tracing.js'))});
         require(${JSON.stringify(path.join(API_DIST, 'server.js'))});
         console.log(JSON.stringify(Object.keys(require.cache).filter((file) => /@opentelemetry[\\/\\\\](?!api[\\/\\\\])/.test(file))));`,
      ],
      { env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '' }, encoding: 'utf8' },
    );
    expect(probe.status).toBe(0);
    expect(JSON.parse(probe.stdout) as string[]).toEqual([]);
  });
});
