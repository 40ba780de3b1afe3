import { DEMO_PERSONAS } from '@pc/demo';
import { startSystem, type RunningSystem } from '@pc/e2e';

/** The declaration table itself (not declaration_request). */
const DECLARATION_TABLE = /declarations\.declaration\b(?!_)/;
type Doctor = { id: string; acceptingNewPatients: boolean; activeDeclarationCount?: number; declarationLimit?: number };

// How full a doctor's list is, as the public screens ask for it in production mode (persisted
// ids, anonymous): served from the count stored in the doctor's list row (docs/declarations.md).
describe('doctor places through the gateway in production mode', () => {
  let system: RunningSystem;
  const doctor = DEMO_PERSONAS.doctor.id;

  beforeAll(async () => {
    system = await startSystem({ production: true, only: ['identity', 'directory', 'declarations', 'access'] });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('a FindDoctor page costs the declarations subgraph one statement, which does not read the declaration table', async () => {
    const sg = system.subgraphs.declarations;
    const { result, sql } = await sg.counter.measure(() =>
      system.persisted<{ searchDoctors: { edges: { node: Doctor }[] } }>('public', 'FindDoctor', { filter: { speciality: 'FAMILY_DOCTOR' }, first: 20 }),
    );
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.searchDoctors.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(1);
    expect(nodes.every((n) => typeof n.acceptingNewPatients === 'boolean')).toBe(true);
    // Whatever else the data source did meanwhile (the outbox relay), the page's read is one statement.
    const reads = sql.filter((s) => /declarations\.(doctor_list|declaration)\b/.test(s));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain('declarations.doctor_list');
    expect(reads[0]).not.toMatch(DECLARATION_TABLE);
  });

  it('DoctorPage shows the stored count: a list stored as full is shown as not accepting', async () => {
    const ds = system.subgraphs.declarations.dataSource;
    const page = async () => (await system.persisted<{ doctor: Doctor }>('public', 'DoctorPage', { id: doctor })).data!.doctor;
    const before = await page();
    const [{ live }] = await ds.query(
      `SELECT count(*)::int AS live FROM declarations.declaration WHERE doctor_id = $1 AND status IN ('ACTIVE', 'PENDING_VERIFICATION')`,
      [doctor],
    );
    expect(before).toMatchObject({ activeDeclarationCount: live, acceptingNewPatients: true });
    await ds.query('UPDATE declarations.doctor_list SET declarations = $2 WHERE doctor_id = $1', [doctor, before.declarationLimit]);
    try {
      expect(await page()).toMatchObject({ activeDeclarationCount: before.declarationLimit, acceptingNewPatients: false });
    } finally {
      await ds.query('UPDATE declarations.doctor_list SET declarations = $2 WHERE doctor_id = $1', [doctor, live]);
    }
  });
});
