/**
 * Seeding: the demo is idempotent and complete, the bulk seeder is deterministic, resumable by
 * offset and idempotent, and everything it stores passes the same validators a patient's edit
 * does — so any seeded person can re-submit their own data unchanged.
 */
import { createLogger } from '@pc/logging';
import { startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { todayIn } from '@pc/calendar';
import {
  validateAddresses,
  validateDocuments,
  validateEmail,
  validateEmergencyContact,
  validateName,
  validatePhones,
  validatePreferredChannel,
  validateTaxId,
  validateTaxIdPresence,
  validateUnzr,
} from '../src/domain/validation';
import { Person } from '../src/entities/Person';
import { DEMO_GENERATED_COUNT, DEMO_PERSONS, seedDemo } from '../src/seed/seedDemo';
import { SEED_REFERENCE_DATE, seedPersons } from '../src/seed/seedPersons';
import { subgraph } from '../src/subgraph';

let db: TestDatabase;
let sg: RunningSubgraph;
const log = createLogger({ service: 'identity', level: 'silent' });

beforeAll(async () => {
  db = await startTestDatabase();
  sg = await startSubgraph(subgraph, { databaseUrl: db.url });
});
afterAll(async () => {
  await sg?.stop();
  await db?.stop();
});

const count = async (): Promise<number> => ((await sg.dataSource.query('SELECT count(*)::int AS n FROM identity.person')) as { n: number }[])[0]!.n;

describe('seeding', () => {
  it('seeds the demo once: a second run changes nothing', async () => {
    expect(await count()).toBe(DEMO_PERSONS.length + DEMO_GENERATED_COUNT);
    const before = await sg.dataSource.query("SELECT md5(string_agg(row_to_json(p)::text, '' ORDER BY id)) AS h FROM identity.person p");
    await seedDemo(sg.dataSource, log);
    expect(await sg.dataSource.query("SELECT md5(string_agg(row_to_json(p)::text, '' ORDER BY id)) AS h FROM identity.person p")).toEqual(before);
  });

  it('seeds in batches, resumes by offset and skips people already there', async () => {
    const base = await count();
    expect(await seedPersons(sg.dataSource, { count: 1200, seed: 7, batchSize: 500 })).toEqual({ inserted: 1200 });
    expect(await seedPersons(sg.dataSource, { count: 1200, seed: 7, batchSize: 300 })).toEqual({ inserted: 0 });
    const progress: number[] = [];
    expect(await seedPersons(sg.dataSource, { count: 1000, offset: 1000, seed: 7, batchSize: 400, onProgress: (n) => progress.push(n) })).toEqual({
      inserted: 800,
    });
    expect(progress).toEqual([400, 800, 1000]);
    expect(await count()).toBe(base + 2000);
  });

  it('stores only people whose data passes the edit validators', async () => {
    // Documents are judged on the day the generator was told it is, so that this test does not
    // start failing when a seeded ID card expires in real time.
    const persons = await sg.dataSource.getRepository(Person).find();
    const demoIds = new Set(DEMO_PERSONS.map((p) => p.id));
    const problems = persons.flatMap((p) => {
      const today = demoIds.has(p.id) ? todayIn('Europe/Kyiv') : SEED_REFERENCE_DATE;
      const errors = [
        ...validateName(p.firstName, ['firstName']),
        ...validateName(p.lastName, ['lastName']),
        ...(p.secondName === null ? [] : validateName(p.secondName, ['secondName'])),
        ...(p.taxId === null ? [] : validateTaxId(p.taxId, p, ['taxId'])),
        ...validateTaxIdPresence({ ...p, today }, []),
        ...(p.unzr === null ? [] : validateUnzr(p.unzr, p.birthDate, ['unzr'])),
        ...(p.email === null ? [] : validateEmail(p.email, ['email'])),
        ...validatePhones(p.phones, ['phones']),
        ...validatePreferredChannel(p, ['preferredWayOfCommunication']),
        ...validateDocuments(p.documents, { birthDate: p.birthDate, today, unzr: p.unzr }, ['documents']),
        ...validateAddresses(p.addresses, ['addresses']),
        ...(p.emergencyContact === null ? [] : validateEmergencyContact(p.emergencyContact, ['emergencyContact'])),
      ];
      return errors.map((e) => `${p.id} ${e.field.join('.')} ${e.code}`);
    });
    expect(persons.length).toBeGreaterThan(DEMO_GENERATED_COUNT);
    expect(problems).toEqual([]);
  });

  it('gives the demo patient a complete record', async () => {
    const p = await sg.dataSource.getRepository(Person).findOneByOrFail({ id: DEMO_PERSONS[0]!.id });
    expect(p).toMatchObject({ authenticationMethod: 'OTP', verificationStatus: 'VERIFIED' });
    expect(p.unzr).not.toBeNull();
    expect(p.documents.map((d) => d.type)).toEqual(['NATIONAL_ID']);
    expect(p.addresses.map((a) => a.type)).toContain('RESIDENCE');
    expect(p.phones.length).toBeGreaterThan(0);
    expect(p.emergencyContact?.phones.length).toBeGreaterThan(0);
  });
});
