/**
 * The embedded database keeps connections' extended-query batches apart. PGlite is one session,
 * so if connection 2's Parse lands between connection 1's Parse and Bind, connection 1 runs
 * connection 2's statement (electric-sql/pglite#1046). Under load that happens when a message
 * arrives in several socket reads or PGlite yields mid-batch; here the queue is fed that order
 * directly, so the outcome does not depend on timing.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PGLITE_TEMPLATE_DIR, ensurePgliteTemplate } from '@pc/testing';
import { pinExtendedQueryBatches } from '../src/pinExtendedQueryBatches';

let db: PGlite;
let dir: string;

beforeAll(async () => {
  await ensurePgliteTemplate();
  dir = mkdtempSync(join(tmpdir(), 'pc-pglite-'));
  cpSync(PGLITE_TEMPLATE_DIR, dir, { recursive: true });
  db = await PGlite.create({ dataDir: dir });
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Frontend messages of the extended protocol, unnamed statement and portal.
const cstr = (s: string) => Buffer.from(`${s}\0`, 'utf8');
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const message = (type: string, body: Buffer) => new Uint8Array(Buffer.concat([Buffer.from(type), int32(body.length + 4), body]));
const parse = (sql: string) => message('P', Buffer.concat([cstr(''), cstr(sql), int16(0)]));
const bind = (param: string) =>
  message('B', Buffer.concat([cstr(''), cstr(''), int16(0), int16(1), int32(Buffer.byteLength(param)), Buffer.from(param), int16(0)]));
const execute = () => message('E', Buffer.concat([cstr(''), int32(0)]));
const sync = () => message('S', Buffer.alloc(0));

/** The first column of the first DataRow in a backend byte stream, or the error message. */
function firstValue(bytes: Buffer): string {
  for (let at = 0; at < bytes.length;) {
    const type = String.fromCharCode(bytes[at]!);
    const len = bytes.readInt32BE(at + 1);
    if (type === 'D') return bytes.subarray(at + 11, at + 11 + bytes.readInt32BE(at + 7)).toString();
    if (type === 'E')
      return `error: ${bytes
        .subarray(at + 5, at + 1 + len)
        .toString()
        .replace(/\0/g, ' ')}`;
    at += 1 + len;
  }
  return 'no row';
}

interface Queue {
  enqueue(handlerId: number, message: Uint8Array, onData: (d: Uint8Array) => void): Promise<number>;
}

/** Feeds two connections' batches in the worst order and returns what each connection received. */
async function interleave(server: PGLiteSocketServer): Promise<[string, string]> {
  const queue = (server as unknown as { queryQueue: Queue }).queryQueue;
  const out: [Buffer[], Buffer[]] = [[], []];
  const send = (h: 1 | 2, m: Uint8Array) => queue.enqueue(h, m, (d) => out[h - 1].push(Buffer.from(d)));
  await Promise.all([
    send(1, parse('SELECT $1::int + 1 AS v')),
    send(2, parse('SELECT $1::text || $1::text AS v')),
    send(1, bind('42')),
    send(1, execute()),
    send(1, sync()),
    send(2, bind('7')),
    send(2, execute()),
    send(2, sync()),
  ]);
  return [firstValue(Buffer.concat(out[0])), firstValue(Buffer.concat(out[1]))];
}

describe('embedded PostgreSQL under concurrent connections', () => {
  it('runs each connection’s batch with its own statement', async () => {
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
    pinExtendedQueryBatches(server);
    expect(await interleave(server)).toEqual(['43', '77']);
  });

  it('is needed: without it the first connection runs the second one’s statement', async () => {
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
    const [first] = await interleave(server);
    expect(first).toBe('4242');
  });
});
