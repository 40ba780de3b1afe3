import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** A running tracer provider; `shutdown()` flushes what is buffered. */
export interface Tracing {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Registers an OpenTelemetry tracer provider that exports over OTLP/HTTP to `endpoint`
 * (e.g. `http://otel-collector:4318/v1/traces`). @apollo/gateway already creates spans through
 * @opentelemetry/api (request, plan, fetch per subgraph); without a registered provider they
 * are no-ops, so tracing costs nothing and sends nothing unless this is called — only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is configured.
 */
export function startTracing(endpoint: string, serviceName = 'gateway'): Tracing {
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }), { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  return { forceFlush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}
