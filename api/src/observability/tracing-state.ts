import type { ApolloServerPlugin } from '@apollo/server';

// Whether this process traces, without loading OpenTelemetry: the SDK is only required (by
// register-tracing) when OTEL_EXPORTER_OTLP_ENDPOINT is set, so an untraced server pays nothing for it.

export interface TracingHandle {
  /** Apollo plugins that give each GraphQL operation (and its root fields) a span. */
  graphqlPlugins(): ApolloServerPlugin<object>[];
  /** Sends the spans still buffered. */
  flush(): Promise<void>;
  /** Flushes and stops exporting (on process exit). */
  shutdown(): Promise<void>;
}

let active: TracingHandle | null = null;

export function setActiveTracing(handle: TracingHandle | null): void {
  active = handle;
}

export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** The tracing plugins for an Apollo server: none unless tracing was started in this process. */
export function graphqlTracingPlugins<T extends object>(): ApolloServerPlugin<T>[] {
  return (active?.graphqlPlugins() ?? []) as ApolloServerPlugin<T>[];
}

export async function flushTracing(): Promise<void> {
  await active?.flush();
}

export async function shutdownTracing(): Promise<void> {
  const handle = active;
  active = null;
  await handle?.shutdown();
}
