import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTracing, type Tracing } from '../src/lib';
import { startSystem, type RunningSystem } from '@pc/e2e';

describe('OpenTelemetry tracing (only when an exporter is configured)', () => {
  let collector: http.Server;
  const received: Buffer[] = [];
  let sys: RunningSystem;
  let tracing: Tracing;

  beforeAll(async () => {
    // A local stand-in for an OTLP collector: records what the exporter posts.
    collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    tracing = startTracing(`http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`, 'gateway-test');
    sys = await startSystem({ only: ['identity'] });
  });
  afterAll(async () => {
    await sys?.stop();
    await tracing?.shutdown();
    collector?.close();
  });

  it("exports the gateway's spans for a request", async () => {
    const r = await sys.query('query Traced { me { id } }', {}, await sys.token('patient'));
    expect(r.errors).toBeUndefined();
    await tracing.forceFlush();
    const body = Buffer.concat(received).toString('utf8');
    expect(body).toContain('gateway-test');
    expect(body).toMatch(/gateway\.(request|plan|fetch|execute)/);
  });
});
