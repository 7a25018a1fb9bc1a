import { setActiveTracing, tracingEnabled } from './tracing-state';

// Imported first by the server entry points (`jobmon-server`, `jobmon server`), before http and the rest
// are loaded, so that the HTTP instrumentation sees them. Without OTEL_EXPORTER_OTLP_ENDPOINT nothing of
// OpenTelemetry is loaded.
if (tracingEnabled()) {
  // A runtime require: the SDK must stay unloaded when tracing is off.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startTracing } = require('./tracing') as typeof import('./tracing');
  setActiveTracing(startTracing(process.env));
}

export { flushTracing, shutdownTracing } from './tracing-state';
