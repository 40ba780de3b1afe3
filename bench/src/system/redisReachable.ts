import { connect } from 'node:net';

/**
 * Whether a Redis server answers PING at `url` within `timeoutMs` (a bare RESP exchange: the bench
 * needs no client library for one question). The bench gives the gateway Redis, as production
 * does, only when it is there; a machine without one still benches, in memory, and says so.
 */
export function redisReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString('latin1').startsWith('+PONG')));
  });
}
