import { DEMO_PERSONAS } from '@pc/demo';
import { deterministicUuid } from '@pc/fixtures';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { DECLARATION_NUMBER_PATTERN } from '../src/domain/declarationNumber';

// The directory's demo therapist and pediatrician (subgraphs/directory/src/seed/demoProviders.ts).
const THERAPIST = deterministicUuid('demo-directory', 10);
const PEDIATRICIAN = deterministicUuid('demo-directory', 11);
const DIVISION = deterministicUuid('demo-directory', 2);

const ME = `{ me { id
  activeDeclaration { id number status startDate endDate doctor { id fullName speciality activeDeclarationCount acceptingNewPatients } division { id name } }
  declarations { id status terminationReason } } }`;
const SUBMIT = `mutation($i: SubmitDeclarationRequestInput!) { submitDeclarationRequest(input: $i) { declarationRequest { id status doctor { fullName } } userErrors { code } } }`;
const SIGN = `mutation($i: SignDeclarationRequestInput!) { signDeclarationRequest(input: $i) { declarationRequest { id status declaration { id number status } } userErrors { code } } }`;
const SEARCH = `query($f: DoctorSearchFilter) { searchDoctors(filter: $f, first: 100) { edges { node { id acceptingNewPatients activeDeclarationCount declarationLimit } } } }`;

type Me = {
  me: {
    activeDeclaration: {
      id: string;
      number: string;
      status: string;
      doctor: { id: string; fullName: string; activeDeclarationCount: number; acceptingNewPatients: boolean };
      division: { name: string };
    } | null;
    declarations: { id: string; status: string; terminationReason: string | null }[];
  };
};
type Search = { searchDoctors: { edges: { node: { id: string; acceptingNewPatients: boolean; activeDeclarationCount: number } }[] } };

describe('declarations through the gateway, with the real identity and directory', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    // A therapist's list holds one patient here, so the demo shows a full list.
    system = await startSystem({ only: ['identity', 'directory', 'declarations'], subgraphConfig: { DECLARATION_LIMIT_THERAPIST: 1 } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('shows the demo patient’s active declaration with the demo doctor, and the older terminated one', async () => {
    const r = await system.query<Me>(ME, {}, await system.token('patient'));
    expect(r.errors).toBeUndefined();
    const active = r.data!.me.activeDeclaration!;
    expect(active).toMatchObject({
      status: 'ACTIVE',
      doctor: { id: DEMO_PERSONAS.doctor.id, fullName: 'Мельник Ірина Василівна', acceptingNewPatients: true },
    });
    expect(active.number).toMatch(DECLARATION_NUMBER_PATTERN);
    expect(active.doctor.activeDeclarationCount).toBeGreaterThanOrEqual(1);
    expect(active.division.name).toContain('Амбулаторія');
    expect(r.data!.me.declarations.map((d) => d.status)).toEqual(['ACTIVE', 'TERMINATED']);
  });

  it('signs the patient up with a therapist: the doctor signs, the old declaration ends, the directory hears the new count', async () => {
    const patient = await system.token('patient');
    const before = (await system.query<Me>(ME, {}, patient)).data!.me.activeDeclaration!;
    const submitted = await system.query<{ submitDeclarationRequest: { declarationRequest: { id: string; status: string; doctor: { fullName: string } } } }>(
      SUBMIT,
      { i: { doctorId: THERAPIST, divisionId: DIVISION } },
      patient,
    );
    expect(submitted.errors).toBeUndefined();
    const request = submitted.data!.submitDeclarationRequest.declarationRequest;
    expect(request).toMatchObject({ status: 'APPROVED', doctor: { fullName: 'Бондаренко Олег Миколайович' } });

    // Neither the patient nor another doctor may sign it.
    // A patient token holds no declaration:sign: the gateway refuses the field (@requiresScopes).
    expect((await system.query(SIGN, { i: { id: request.id } }, patient)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await system.query(SIGN, { i: { id: request.id } }, await system.token('doctor'))).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const therapist = await system.token({ sub: THERAPIST, roles: ['DOCTOR'], scopes: ['declaration:read', 'declaration:sign'] });
    const signed = await system.query<{ signDeclarationRequest: { declarationRequest: { status: string; declaration: { id: string; status: string } } } }>(
      SIGN,
      { i: { id: request.id } },
      therapist,
    );
    expect(signed.errors).toBeUndefined();
    expect(signed.data!.signDeclarationRequest.declarationRequest).toMatchObject({ status: 'SIGNED', declaration: { status: 'ACTIVE' } });

    const after = (await system.query<Me>(ME, {}, patient)).data!.me;
    expect(after.activeDeclaration).toMatchObject({
      id: signed.data!.signDeclarationRequest.declarationRequest.declaration.id,
      doctor: { id: THERAPIST, activeDeclarationCount: 1, acceptingNewPatients: false },
    });
    expect(after.declarations.find((d) => d.id === before.id)).toMatchObject({ status: 'TERMINATED', terminationReason: 'auto_new_declaration' });

    // The relay tells the directory; its search filter follows within moments.
    let listed: boolean | undefined;
    for (let i = 0; i < 100; i++) {
      const full = await system.query<Search>(SEARCH, { f: { speciality: 'THERAPIST', acceptingNewPatients: false } });
      listed = full.data!.searchDoctors.edges.some((e) => e.node.id === THERAPIST);
      if (listed) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(listed).toBe(true);
    const accepting = await system.query<Search>(SEARCH, { f: { speciality: 'THERAPIST', acceptingNewPatients: true } });
    expect(accepting.data!.searchDoctors.edges.some((e) => e.node.id === THERAPIST)).toBe(false);

    // The list is full now: another patient is refused.
    const other = await system.query<{ submitDeclarationRequest: { userErrors: { code: string }[] } }>(
      SUBMIT,
      { i: { doctorId: THERAPIST, divisionId: DIVISION } },
      await system.token('other'),
    );
    expect(other.data!.submitDeclarationRequest.userErrors.map((e) => e.code)).toEqual(['DOCTOR_LIMIT_REACHED']);
  });

  it('refuses an adult to a pediatrician, and a teen without capacity', async () => {
    const adult = await system.query<{ submitDeclarationRequest: { userErrors: { code: string }[] } }>(
      SUBMIT,
      { i: { doctorId: PEDIATRICIAN, divisionId: DIVISION } },
      await system.token('other'),
    );
    expect(adult.data!.submitDeclarationRequest.userErrors.map((e) => e.code)).toEqual(['AGE_RULE']);
    const teen = await system.query(SUBMIT, { i: { doctorId: PEDIATRICIAN, divisionId: DIVISION } }, await system.token('teen'));
    expect(teen.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
