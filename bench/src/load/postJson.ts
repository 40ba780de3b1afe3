import http from 'node:http';

/** A response of {@link postJson}. */
export interface JsonResponse {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: unknown[] } & Record<string, unknown>;
}

/** One keep-alive agent for the whole run: the client side of both compared paths is the same code. */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });

/**
 * POSTs JSON over node:http with a keep-alive agent — lighter than fetch, so that the client's
 * own cost weighs as little as possible against the few hundred microseconds being compared.
 */
export function postJson(url: URL, payload: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const body = Buffer.from(JSON.stringify(payload));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        method: 'POST',
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonResponse['body'] });
          } catch (err) {
            reject(err as Error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
