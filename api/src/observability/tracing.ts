import type { ApolloServerPlugin } from '@apollo/server';
import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Context as OtelContext,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { outcomeCode } from './metrics-plugin';
import type { Database as JobmonDatabase } from '../db';
import type { TracingHandle } from './tracing-state';

// OpenTelemetry tracing, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (see register-tracing). The
// standard OTEL_* variables apply: the exporter posts OTLP/HTTP JSON to `<endpoint>/v1/traces`, the batch
// processor honours OTEL_BSP_*. A trace: the HTTP request (continuing an incoming `traceparent`) → one span
// per GraphQL operation → one per root field (claimTaskInstances, reportTaskInstancesFinished, …) → the
// database transactions it ran.

const TRACER_NAME = 'jobmon-api';
/** Probes and scrapes are not worth a trace each. */
const UNTRACED_PATHS = new Set(['/healthz', '/metrics']);

/**
 * The operation span of each request, by its context value, for its root fields' spans: a per-request cache
 * (dropped with the request's context), not a registry of services.
 */
const operationSpans = new WeakMap<object, Span>();
const instrumentedSchemas = new WeakSet<GraphQLSchema>();

export function startTracing(env: NodeJS.ProcessEnv): TracingHandle {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || 'jobmon-api' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The global provider, AsyncLocalStorage context and W3C trace-context propagation.
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?', 1)[0]!),
      }),
    ],
  });
  const tracer = provider.getTracer(TRACER_NAME);
  traceTransactions(tracer);
  return {
    graphqlPlugins: () => [graphqlTracingPlugin(tracer)],
    flush: () => provider.forceFlush(),
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}

/** Runs `work` in an active span that ends (with its error, if any) when the promise settles. */
function inSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Record<string, string>,
  parent: OtelContext,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Every `db.transaction` (claims, reports, submissions, the reaper's) gets a span under the active one. */
function traceTransactions(tracer: Tracer): void {
  // Required here, after the instrumentations are registered, rather than imported above.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Database } = require('../db') as typeof import('../db');
  const original = Database.prototype.transaction;
  Database.prototype.transaction = function traced<T>(
    this: JobmonDatabase,
    work: Parameters<typeof original>[0],
  ): Promise<T> {
    return inSpan(tracer, 'db.transaction', { 'db.system': this.dialect }, context.active(), () =>
      original.call(this, work),
    ) as Promise<T>;
  };
}

/** Root Query and Mutation fields get a span each, under their operation's span. */
function traceRootResolvers(schema: GraphQLSchema, tracer: Tracer): void {
  if (instrumentedSchemas.has(schema)) return;
  instrumentedSchemas.add(schema);
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, contextValue, info) => {
        const operation =
          typeof contextValue === 'object' && contextValue !== null
            ? operationSpans.get(contextValue)
            : undefined;
        const parent = operation ? trace.setSpan(context.active(), operation) : context.active();
        return inSpan(
          tracer,
          `graphql.resolve ${info.fieldName}`,
          { 'graphql.field.name': info.fieldName, 'graphql.field.path': info.fieldName },
          parent,
          async () => resolve(source, args, contextValue, info),
        );
      };
    }
  }
}

/** The span of a GraphQL operation over HTTP: `graphql <type> <name>`, with its outcome code. */
export function graphqlTracingPlugin(tracer: Tracer): ApolloServerPlugin<object> {
  return {
    async serverWillStart({ schema }) {
      traceRootResolvers(schema, tracer);
    },
    async requestDidStart(requestContext) {
      const span = tracer.startSpan('graphql', { kind: SpanKind.INTERNAL }, context.active());
      operationSpans.set(requestContext.contextValue, span);
      return {
        async didResolveOperation({ operation, operationName }) {
          const type = operation?.operation ?? 'unknown';
          span.updateName(['graphql', type, operationName].filter(Boolean).join(' '));
          span.setAttribute('graphql.operation.type', type);
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
        },
        async willSendResponse({ response }) {
          const errors =
            response.body.kind === 'single'
              ? response.body.singleResult.errors
              : response.body.initialResult.errors;
          const code = outcomeCode(errors);
          if (code !== 'OK') {
            span.setAttribute('graphql.error.code', code);
            span.setStatus({ code: SpanStatusCode.ERROR, message: errors?.[0]?.message });
          }
          span.end();
        },
      };
    },
  };
}
