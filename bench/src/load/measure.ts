import autocannon from 'autocannon';

/** What one measured load run gives. */
export interface LoadResult {
  /** Operations completed in the measured window (HTTP requests for autocannon). */
  requests: number;
  rps: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** Transport errors, timeouts, non-2xx responses and 200s carrying GraphQL errors or userErrors. */
  errors: number;
  durationS: number;
  /** The first error seen, for the report. */
  sampleError?: string;
  /** Every latency (ms), kept only to merge rounds; not written to the results file. */
  latencies?: number[];
}

/** One HTTP request of an autocannon scenario, built per request. */
export interface RequestTemplate {
  /** Returns headers and JSON body for the next request; `context` is per connection (state between steps). */
  build(context: Record<string, unknown>): { headers: Record<string, string>; body: unknown };
  /** Reads the response: false marks it an error; may store state in `context` for the next step. */
  check?(body: Record<string, unknown>, context: Record<string, unknown>): boolean;
}

/** Percentile of sorted values (nearest rank). */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summarise(latencies: number[], errors: number, durationS: number, sampleError?: string): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    requests: sorted.length,
    rps: Math.round(sorted.length / durationS),
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1] ?? 0),
      mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
    },
    errors,
    durationS,
    sampleError,
    latencies,
  };
}

/** One result from several rounds of the same scenario: counts add up, percentiles come from all latencies. */
export function mergeResults(parts: LoadResult[]): LoadResult {
  const all = parts.flatMap((p) => p.latencies ?? []);
  const merged = summarise(
    all,
    parts.reduce((a, p) => a + p.errors, 0),
    parts.reduce((a, p) => a + p.durationS, 0),
    parts.find((p) => p.sampleError)?.sampleError,
  );
  return merged;
}

const hasErrors = (body: Record<string, unknown>): boolean => {
  if (Array.isArray(body.errors) && body.errors.length > 0) return true;
  // Mutation payloads report bad input as userErrors inside data.
  const data = body.data as Record<string, { userErrors?: unknown[] } | null> | null | undefined;
  return Object.values(data ?? {}).some((v) => Array.isArray(v?.userErrors) && v.userErrors.length > 0);
};

/**
 * Drives `url` with autocannon: `connections` connections, each cycling through `steps` (one
 * step for a query, two for submit-then-sign), for `seconds`. Latency is every response's own
 * time as autocannon measures it; percentiles are computed here because autocannon reports
 * p97.5, not p95.
 */
export async function runAutocannon(url: string, steps: RequestTemplate[], connections: number, seconds: number, amount?: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let graphqlErrors = 0;
  let sampleError: string | undefined;
  const started = Date.now();
  const instance = autocannon({
    url,
    connections,
    // A number of requests, when given, instead of a duration.
    ...(amount ? { amount } : { duration: seconds }),
    timeout: 10,
    requests: steps.map((step) => ({
      method: 'POST' as const,
      setupRequest: (req: autocannon.Request, context: object) => {
        const { headers, body } = step.build(context as Record<string, unknown>);
        return { ...req, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
      },
      onResponse: (status: number, raw: string, context: object) => {
        let ok = status === 200;
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          ok = false;
        }
        if (ok && (hasErrors(parsed) || (step.check && !step.check(parsed, context as Record<string, unknown>)))) ok = false;
        if (!ok) {
          graphqlErrors++;
          sampleError ??= `HTTP ${status}: ${raw.slice(0, 300)}`;
        }
      },
    })),
  });
  (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await instance;
  const durationS = Math.max(0.001, (Date.now() - started) / 1000);
  // non-2xx responses were already counted by onResponse (status !== 200).
  return summarise(latencies, graphqlErrors + result.errors, durationS, sampleError);
}

/**
 * A closed loop without autocannon, for operations that are several dependent requests (the
 * direct side of the federation tax): `connections` workers each run `operation` back to back
 * for `seconds`; latency is the whole operation's.
 */
export async function runClosedLoop(operation: () => Promise<void>, connections: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let sampleError: string | undefined;
  const started = Date.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const t = process.hrtime.bigint();
        try {
          await operation();
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        } catch (err) {
          errors++;
          sampleError ??= (err as Error).message.slice(0, 300);
        }
      }
    }),
  );
  return summarise(latencies, errors, Math.max(0.001, (Date.now() - started) / 1000), sampleError);
}
