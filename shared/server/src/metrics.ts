import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';

/** Prometheus metrics of one service, kept in its own registry so several servers share a process in tests. */
export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'operation' | 'client'>;
  duration: Histogram<'operation' | 'client'>;
  errors: Counter<'code'>;
}

/** Creates the registry with process metrics and the GraphQL request metrics. */
export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL operations executed',
      labelNames: ['operation', 'client'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'Time from request parsed to response sent',
      labelNames: ['operation', 'client'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    errors: new Counter({ name: 'graphql_errors_total', help: 'GraphQL errors by code', labelNames: ['code'], registers: [registry] }),
  };
}

/** Adds gauges for a `pg` pool (total, idle, waiting clients). */
export function registerPoolMetrics(metrics: ServiceMetrics, pool: () => { totalCount: number; idleCount: number; waitingCount: number } | undefined): void {
  for (const [name, pick] of [
    ['db_pool_connections_total', (p: { totalCount: number }) => p.totalCount],
    ['db_pool_connections_idle', (p: { idleCount: number }) => p.idleCount],
    ['db_pool_requests_waiting', (p: { waitingCount: number }) => p.waitingCount],
  ] as const) {
    new Gauge({
      name,
      help: `pg pool: ${name.replace(/_/g, ' ')}`,
      registers: [metrics.registry],
      collect() {
        const p = pool();
        if (p) this.set(pick(p as never));
      },
    });
  }
}

/**
 * Records every operation's count, latency and error codes. The client label comes from the
 * `apollographql-client-name` header (client awareness).
 */
export function metricsPlugin<T extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<T> {
  return {
    async requestDidStart({ request }) {
      const end = metrics.duration.startTimer();
      const client = request.http?.headers.get('apollographql-client-name') ?? 'unknown';
      return {
        async didEncounterErrors({ errors }) {
          for (const e of errors) metrics.errors.inc({ code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        },
        async willSendResponse({ operationName }) {
          const labels = { operation: operationName ?? 'anonymous', client };
          metrics.requests.inc(labels);
          end(labels);
        },
      };
    },
  };
}
