import { readManifests } from '@pc/schema';
import { startSystem, type RunningSystem } from '@pc/e2e';

/** Operations served by every subgraph so far, from the subgraphs' own request counters. */
async function subgraphRequests(sys: RunningSystem): Promise<number> {
  let total = 0;
  for (const s of Object.values(sys.subgraphs)) {
    const metric = await s.server.metrics.requests.get();
    total += metric.values.reduce((sum, v) => sum + v.value, 0);
  }
  return total;
}

describe('gateway warm-up of the persisted lists', () => {
  let sys: RunningSystem;
  const profile = readManifests().zdorovia.operations.find((o) => o.name === 'PartnerProfile')!;
  // A listed query, and a mutation with a required variable that the warm-up must leave alone.
  const contacts = readManifests().medcard.operations.find((o) => o.name === 'PartnerContacts')!;
  beforeAll(async () => {
    sys = await startSystem({ only: ['identity', 'access'], gateway: { warmUpOperations: [profile.body, contacts.body] } });
  });
  afterAll(() => sys?.stop());

  it('plans the listed operations without sending anything to a subgraph', async () => {
    expect(await subgraphRequests(sys)).toBe(0);
  });

  it('serves a warmed operation normally afterwards', async () => {
    // The state cabinet may send the text outside production; the plan is the same.
    const r = await sys.query(profile.body, {}, await sys.token('patient'));
    expect(JSON.stringify(r.errors ?? [])).toBe('[]');
    expect(r.data?.me).toMatchObject({ firstName: 'Олена' });
    expect(await subgraphRequests(sys)).toBeGreaterThan(0);
  });
});
