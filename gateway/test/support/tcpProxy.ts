import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a subgraph or Redis: `cut()` is the service dying (open connections
 * reset, new ones refused, as after kill -9), `restore()` is it coming back on the same port;
 * `freeze()` keeps connections open but forwards nothing (a server that never answers), `thaw()`
 * forwards again.
 */
export async function tcpProxy() {
  let target: { host: string; port: number } | undefined;
  const sockets = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    if (!target) return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
      pairs.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    forwardTo(url: string) {
      const u = new URL(url);
      target = { host: u.hostname, port: Number(u.port) };
    },
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          if (s.resetAndDestroy) s.resetAndDestroy();
          else s.destroy();
        }
        sockets.clear();
        server.close(() => resolve());
      }),
    restore: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    freeze() {
      for (const [client] of pairs) client.unpipe();
    },
    thaw() {
      for (const [client, upstream] of pairs) client.pipe(upstream);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export type TcpProxy = Awaited<ReturnType<typeof tcpProxy>>;
