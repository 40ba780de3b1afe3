import { startSystem, type RunningSystem } from '@pc/e2e';

interface Page {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

/**
 * The one cursor codec through the running system in production mode (JWKS tokens, persisted
 * lists enforced): every paginated list of the state cabinet hands out `v1.` cursors, follows
 * them, and refuses a cursor of another list, of another version or tampered with the same
 * BAD_USER_INPUT error and reason.
 */
describe('cursors in production', () => {
  let sys: RunningSystem;
  let token: string;
  beforeAll(async () => {
    sys = await startSystem({ production: true });
    token = await sys.token('patient');
  });
  afterAll(() => sys?.stop());

  const search = (after?: string) => sys.persisted('state', 'FindDoctor', { first: 2, ...(after ? { after } : {}) }, token);
  const history = (after: string) => sys.persisted('state', 'ChangeHistory', { first: 1, after }, token);
  const accessLog = (after?: string) => sys.persisted('state', 'AccessLog', { first: 1, ...(after ? { after } : {}) }, token);

  it('pages doctor search and the access log with v1 cursors', async () => {
    const first = (await search()).data as { searchDoctors: Page };
    expect(first.searchDoctors.pageInfo.endCursor).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    const second = (await search(first.searchDoctors.pageInfo.endCursor!)).data as { searchDoctors: Page };
    expect(second.searchDoctors.edges).toHaveLength(2);
    expect(second.searchDoctors.edges.map((e) => e.node.id)).not.toContain(first.searchDoctors.edges[1]!.node.id);

    await search(); // the earlier requests are in the access log by now (written in batches)
    let log: { me: { accessLog: Page } } | undefined;
    for (let i = 0; i < 50 && !log?.me.accessLog.pageInfo.hasNextPage; i++) {
      log = (await accessLog()).data as { me: { accessLog: Page } };
      if (!log.me.accessLog.pageInfo.hasNextPage) await new Promise((r) => setTimeout(r, 100));
    }
    expect(log!.me.accessLog.pageInfo.endCursor).toMatch(/^v1\./);
    const next = await accessLog(log!.me.accessLog.pageInfo.endCursor!);
    expect(next.errors).toBeUndefined();
  });

  it('refuses a cursor of another list, another version, or tampered, with BAD_USER_INPUT and reason INVALID_CURSOR', async () => {
    const doctorCursor = ((await search()).data as { searchDoctors: Page }).searchDoctors.pageInfo.endCursor!;
    const tampered = `${doctorCursor.slice(0, -3)}${doctorCursor.endsWith('A') ? 'B' : 'A'}${doctorCursor.slice(-2)}`;
    for (const [list, after] of [
      ['accessLog', doctorCursor],
      ['accessLog', `v2${doctorCursor.slice(2)}`],
      ['searchDoctors', `v2${doctorCursor.slice(2)}`],
      ['searchDoctors', tampered],
      ['searchDoctors', doctorCursor.slice(3)],
      ['changeHistory', doctorCursor],
      ['changeHistory', Buffer.from('pc:1').toString('base64url')],
    ] as const) {
      const r = list === 'accessLog' ? await accessLog(after) : list === 'changeHistory' ? await history(after) : await search(after);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    }
  });
});
