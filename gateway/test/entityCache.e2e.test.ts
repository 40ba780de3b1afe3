/**
 * The entity cache in the running system (startSystem: real subgraphs over HTTP, real
 * PostgreSQL; LISTEN/NOTIFY needs a server, so these tests run with TEST_DATABASE_URL only):
 * a second CabinetHome makes no directory fetch; a change made through the directory's own code
 * (ProviderStore) is visible on the next request; a lost listener connection turns the cache off
 * and empties it until notifications arrive again; production mode, by persisted id.
 */
import { Client } from 'pg';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { ProviderStore } from '@pc/directory/src/services/ProviderStore';

const onServer = Boolean(process.env.TEST_DATABASE_URL);
const describeOnServer = onServer ? describe : describe.skip;

/** A counter or gauge of the gateway's registry, summed over the label values that match `labels`. */
async function metric(system: RunningSystem, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = system.gateway.metrics.registry.getSingleMetric(name);
  if (!m) return 0;
  const { values } = await m.get();
  return (
    values
      // A counter's or gauge's values have no metricName; of a histogram, the `_count` ones.
      .filter((v) => {
        const metricName = (v as { metricName?: string }).metricName;
        return metricName === undefined || metricName === `${name}_count`;
      })
      .filter((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want))
      .reduce((sum, v) => sum + v.value, 0)
  );
}

/** HTTP fetches the gateway sent to the directory so far. */
const directoryFetches = (system: RunningSystem) => metric(system, 'gateway_subgraph_fetch_duration_seconds', { subgraph: 'directory' });

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const enabled = (system: RunningSystem) => until('the entity cache to be on', async () => (await metric(system, 'gateway_entity_cache_enabled')) === 1);

const DOCTOR = '{ me { activeDeclaration { doctor { id fullName status divisions { id name } } division { id name legalEntity { id name } } } } }';

describeOnServer('entity cache (development mode)', () => {
  let system: RunningSystem;
  let token: string;
  beforeAll(async () => {
    system = await startSystem({ gatewaySettings: { ENTITY_CACHE_SIZE: 1000 } });
    token = await system.token('patient');
    await enabled(system);
  });
  afterAll(() => system?.stop());

  it('answers the second identical request without a directory fetch, with the same data', async () => {
    const before = await directoryFetches(system);
    const first = await system.query(DOCTOR, {}, token);
    expect(first.errors).toBeUndefined();
    const afterFirst = await directoryFetches(system);
    expect(afterFirst).toBeGreaterThan(before);
    const second = await system.query(DOCTOR, {}, token);
    expect(second).toEqual(first);
    expect(await directoryFetches(system)).toBe(afterFirst);
    expect(await metric(system, 'gateway_entity_cache_lookups_total', { subgraph: 'directory', result: 'hit' })).toBeGreaterThanOrEqual(2);
    expect(await metric(system, 'gateway_entity_cache_hit_ratio')).toBeGreaterThan(0);
  });

  it("a doctor's status changed through the directory's ProviderStore is on the next request", async () => {
    const first = await system.query<{ me: { activeDeclaration: { doctor: { id: string; status: string } } } }>(DOCTOR, {}, token);
    const doctor = first.data!.me.activeDeclaration.doctor;
    expect(doctor.status).toBe('APPROVED');
    const invalidations = await metric(system, 'gateway_entity_cache_invalidations_total');
    const store = new ProviderStore(system.subgraphs.directory.dataSource);
    await store.setDoctorStatus(doctor.id, 'DISMISSED');
    try {
      // The notification is delivered when the transaction commits; the gateway drops the directory's entries on it.
      await until('the change notification', async () => (await metric(system, 'gateway_entity_cache_invalidations_total')) > invalidations, 5000);
      const fetches = await directoryFetches(system);
      const after = await system.query<{ me: { activeDeclaration: { doctor: { status: string } } } }>(DOCTOR, {}, token);
      expect(after.data!.me.activeDeclaration.doctor.status).toBe('DISMISSED');
      expect(await directoryFetches(system)).toBeGreaterThan(fetches);
    } finally {
      await store.setDoctorStatus(doctor.id, 'APPROVED');
    }
  });

  it('a lost listener connection turns the cache off and empties it; it comes back on, empty, once notifications arrive again', async () => {
    await system.query(DOCTOR, {}, token);
    expect(await metric(system, 'gateway_entity_cache_entries')).toBeGreaterThan(0);
    const admin = new Client({ connectionString: system.database.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gateway-entity-listener' AND datname = current_database()",
      );
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await until('the entity cache to turn off', async () => (await metric(system, 'gateway_entity_cache_enabled')) === 0, 5000);
    expect(await metric(system, 'gateway_entity_cache_entries')).toBe(0);
    // Off: every request fetches from the directory, and nothing is kept.
    for (let i = 0; i < 2; i++) {
      const fetches = await directoryFetches(system);
      await system.query(DOCTOR, {}, token);
      expect(await directoryFetches(system)).toBeGreaterThan(fetches);
    }
    expect(await metric(system, 'gateway_entity_cache_entries')).toBe(0);
    // The listener reconnects (after 2 s) and proves notifications arrive: on again, starting empty.
    await enabled(system);
    const fetches = await directoryFetches(system);
    await system.query(DOCTOR, {}, token);
    const afterMiss = await directoryFetches(system);
    expect(afterMiss).toBeGreaterThan(fetches);
    await system.query(DOCTOR, {}, token);
    expect(await directoryFetches(system)).toBe(afterMiss);
  }, 30_000);
});

describeOnServer('entity cache (production mode)', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem({ production: true, gatewaySettings: { ENTITY_CACHE_SIZE: 1000 } });
    await enabled(system);
  });
  afterAll(() => system?.stop());

  it('CabinetHome by persisted id: the second makes no directory fetch and answers the same; a directory change sends it to the directory again', async () => {
    const token = await system.token('patient');
    const first = await system.persisted('state', 'CabinetHome', {}, token);
    expect(first.status).toBe(200);
    expect(first.errors).toBeUndefined();
    const afterFirst = await directoryFetches(system);
    const second = await system.persisted('state', 'CabinetHome', {}, token);
    expect(second).toEqual(first);
    expect(await directoryFetches(system)).toBe(afterFirst);
    const metrics = await (await fetch(system.metricsUrl!)).text();
    expect(metrics).toMatch(/gateway_entity_cache_lookups_total\{subgraph="directory",result="hit"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/gateway_entity_cache_hit_ratio\{[^}]*\} 0\.5\n/);
    expect(metrics).toMatch(/gateway_entity_cache_enabled\{[^}]*\} 1\n/);

    const doctorId = (first.data as { me: { activeDeclaration: { doctor: { id: string } } } }).me.activeDeclaration.doctor.id;
    const invalidations = await metric(system, 'gateway_entity_cache_invalidations_total');
    // Any write through ProviderStore notifies, even one that leaves the doctor as they were.
    await new ProviderStore(system.subgraphs.directory.dataSource).setDoctorStatus(doctorId, 'APPROVED');
    await until('the change notification', async () => (await metric(system, 'gateway_entity_cache_invalidations_total')) > invalidations, 5000);
    const third = await system.persisted('state', 'CabinetHome', {}, token);
    expect(third).toEqual(first);
    expect(await directoryFetches(system)).toBeGreaterThan(afterFirst);
  });
});

describeOnServer('ENTITY_CACHE_SIZE=0', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem({ only: ['identity', 'directory', 'declarations'], access: false, gatewaySettings: { ENTITY_CACHE_SIZE: 0 } });
  });
  afterAll(() => system?.stop());

  it('turns the cache off: every request fetches from the directory, and the cache has no metrics', async () => {
    const token = await system.token('patient');
    for (let i = 0; i < 2; i++) {
      const fetches = await directoryFetches(system);
      expect((await system.query(DOCTOR, {}, token)).errors).toBeUndefined();
      expect(await directoryFetches(system)).toBeGreaterThan(fetches);
    }
    expect(system.gateway.metrics.registry.getSingleMetric('gateway_entity_cache_lookups_total')).toBeUndefined();
  });
});

if (!onServer) {
  it('needs TEST_DATABASE_URL (LISTEN/NOTIFY does not reach another connection on the embedded PGlite)', () => undefined);
}
