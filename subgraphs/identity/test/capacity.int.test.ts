/**
 * Who may read and who may change a record: scopes, the legal-capacity rules (teen, represented
 * adult, under 14, emancipated minor, expired representation) and what other subgraphs read
 * through `_entities` with a SERVICE caller.
 */
import { DEMO_PERSONAS, PATIENT_SCOPES } from '@pc/demo';
import { anonymous, doctorCaller, patientCaller, serviceCaller, useSubgraph } from '@pc/testing';
import { subgraph } from '../src/subgraph';
import { ME, M, freshPerson, historyRows, rawRow, type PersonView } from './helpers';

const sg = useSubgraph(subgraph);

const goodInputs = {
  [M.contacts]: { email: 'someone@example.com' },
  [M.addresses]: { addresses: [{ type: 'RESIDENCE', country: 'UA', area: 'Київська', settlement: 'Буча', settlementType: 'CITY', zip: '08292' }] },
  [M.documents]: { documents: [{ type: 'PASSPORT', number: 'КМ345678', issuedAt: '2012-05-06', issuedBy: 'Бучанський РВ' }] },
  [M.emergency]: { emergencyContact: { firstName: 'Ганна', lastName: 'Бондар', phones: [{ type: 'MOBILE', number: '+380631234567' }] } },
};

/** Every mutation as `caller` on `id` must fail with `code` and leave the row and the history untouched. */
async function expectEveryMutationRefused(id: string, caller: ReturnType<typeof patientCaller>, code: string, reason?: string): Promise<void> {
  const before = await rawRow(sg.dataSource, id);
  for (const [doc, input] of Object.entries(goodInputs)) {
    const r = await sg.call(doc, { i: { expectedVersion: 1, ...input } }, caller);
    expect(r.errors?.[0]?.extensions?.code).toBe(code);
    if (reason) expect(r.errors?.[0]?.extensions?.reason).toBe(reason);
    expect(r.data).toBeNull();
  }
  expect(await rawRow(sg.dataSource, id)).toBe(before);
  expect(await historyRows(sg.dataSource, id)).toHaveLength(0);
}

async function me(id: string, caller = patientCaller(id)) {
  return sg.call<{ me: PersonView }>(ME, {}, caller);
}

describe('the demo personas', () => {
  it('lets the demo patient read and edit', async () => {
    const r = await me(DEMO_PERSONAS.patient.id);
    expect(r.errors).toBeUndefined();
    expect(r.data?.me.capabilities).toEqual({ canView: true, canEditPersonalData: true, canSubmitDeclaration: true, reason: null });
    expect(r.data?.me.documents.length).toBeGreaterThan(0);
    expect(r.data?.me.addresses.length).toBeGreaterThan(0);
  });

  it('lets the teen (15, no capacity document) read but not write', async () => {
    const r = await me(DEMO_PERSONAS.teen.id);
    expect(r.errors).toBeUndefined();
    expect(r.data?.me).toMatchObject({ birthDate: '2011-03-15' });
    expect(r.data?.me.capabilities).toEqual({
      canView: true,
      canEditPersonalData: false,
      canSubmitDeclaration: false,
      reason: 'MINOR_WITHOUT_LEGAL_CAPACITY_DOCUMENT',
    });
    await expectEveryMutationRefused(DEMO_PERSONAS.teen.id, patientCaller(DEMO_PERSONAS.teen.id), 'FORBIDDEN', 'MINOR_WITHOUT_LEGAL_CAPACITY_DOCUMENT');
  });

  it('lets the represented adult read but not write', async () => {
    const r = await me(DEMO_PERSONAS.represented.id);
    expect(r.errors).toBeUndefined();
    expect(r.data?.me.capabilities).toEqual({ canView: true, canEditPersonalData: false, canSubmitDeclaration: false, reason: 'REPRESENTED_BY_CONFIDANT' });
    await expectEveryMutationRefused(DEMO_PERSONAS.represented.id, patientCaller(DEMO_PERSONAS.represented.id), 'FORBIDDEN', 'REPRESENTED_BY_CONFIDANT');
  });
});

describe('capacity rules on edge cases', () => {
  const capacityDocument = {
    type: 'GUARDIANSHIP_AUTHORITY_DECISION' as const,
    number: '12/345',
    issuedAt: '2026-01-10',
    issuedBy: 'Служба у справах дітей Київської МДА',
  };

  it('lets a 16-year-old with a legal-capacity document on file edit', async () => {
    const id = await freshPerson(sg.dataSource, { birthDate: '2010-02-01', unzr: '20100201-00001', documents: [], legalCapacityDocument: capacityDocument });
    const r = await sg.call(M.contacts, { i: { expectedVersion: 1, email: 'emancipated@example.com' } }, patientCaller(id));
    expect(r.errors).toBeUndefined();
    expect(r.data).toMatchObject({ updateContacts: { person: { version: 2, capabilities: { canEditPersonalData: true } }, userErrors: [] } });
  });

  it('lets an adult whose representation ended edit', async () => {
    const ended = {
      relationType: 'PRIMARY' as const,
      personId: null,
      firstName: 'Іван',
      lastName: 'Гнатюк',
      secondName: null,
      birthDate: '1975-06-11',
      gender: 'MALE' as const,
      taxId: null,
      phones: [],
      relationshipDocument: { type: 'COURT_DECISION' as const, number: '1/2', issuedAt: '2020-01-01', issuedBy: 'Суд', activeTo: '2022-01-01' },
    };
    const id = await freshPerson(sg.dataSource, { confidantPersons: [ended] });
    const r = await me(id);
    expect(r.data?.me.capabilities).toMatchObject({ canEditPersonalData: true, reason: null });
    expect(r.data?.me).toMatchObject({ confidantPersons: [{ active: false }] });
  });

  it('refuses a person under 14 the cabinet altogether, but serves their record to services', async () => {
    const id = await freshPerson(sg.dataSource, { birthDate: '2016-05-05', unzr: null, documents: [], taxId: null });
    const r = await me(id);
    expect(r.data?.me).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'UNDER_MINIMUM_AGE' });
    const viaRef = await sg.call(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }',
      { r: [{ __typename: 'Person', id }] },
      patientCaller(id),
    );
    expect(viaRef.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const svc = await sg.call<{ _entities: { capabilities: unknown }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { capabilities { canView canEditPersonalData canSubmitDeclaration reason } } } }',
      { r: [{ __typename: 'Person', id }] },
      serviceCaller('declarations'),
    );
    expect(svc.data?._entities[0]?.capabilities).toEqual({
      canView: false,
      canEditPersonalData: false,
      canSubmitDeclaration: false,
      reason: 'UNDER_MINIMUM_AGE',
    });
    await expectEveryMutationRefused(id, patientCaller(id), 'FORBIDDEN', 'UNDER_MINIMUM_AGE');
  });

  it('keeps a NOT_VERIFIED adult editing but not submitting declarations', async () => {
    const id = await freshPerson(sg.dataSource, { verificationStatus: 'NOT_VERIFIED' });
    expect((await me(id)).data?.me.capabilities).toEqual({ canView: true, canEditPersonalData: true, canSubmitDeclaration: false, reason: 'NOT_VERIFIED' });
  });
});

describe('scopes and roles', () => {
  it('refuses every mutation to a token without person:write', async () => {
    const id = await freshPerson(sg.dataSource);
    const readOnly = patientCaller(id, { scopes: PATIENT_SCOPES.filter((s) => s !== 'person:write') });
    expect((await me(id, readOnly)).data?.me.id).toBe(id);
    await expectEveryMutationRefused(id, readOnly, 'FORBIDDEN');
  });

  it('refuses reads to a token without person:read', async () => {
    const id = await freshPerson(sg.dataSource);
    const writeOnly = patientCaller(id, { scopes: ['person:write'] });
    const r = await me(id, writeOnly);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const viaRef = await sg.call(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { email } } }',
      { r: [{ __typename: 'Person', id }] },
      writeOnly,
    );
    expect(viaRef.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses mutations to doctors (FORBIDDEN) and to anonymous callers (UNAUTHENTICATED)', async () => {
    const id = await freshPerson(sg.dataSource);
    await expectEveryMutationRefused(id, doctorCaller(DEMO_PERSONAS.doctor.id), 'FORBIDDEN');
    await expectEveryMutationRefused(id, anonymous(), 'UNAUTHENTICATED');
  });
});

describe('what other subgraphs read', () => {
  it('serves authenticationMethod, verificationStatus, birthDate and canSubmitDeclaration to a SERVICE caller', async () => {
    const ids = [DEMO_PERSONAS.patient.id, DEMO_PERSONAS.teen.id, DEMO_PERSONAS.represented.id];
    const r = await sg.call<{ _entities: unknown[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id authenticationMethod verificationStatus birthDate capabilities { canSubmitDeclaration } } } }',
      { r: ids.map((id) => ({ __typename: 'Person', id })) },
      serviceCaller('declarations'),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?._entities).toEqual([
      { id: ids[0], authenticationMethod: 'OTP', verificationStatus: 'VERIFIED', birthDate: '1985-04-12', capabilities: { canSubmitDeclaration: true } },
      { id: ids[1], authenticationMethod: 'OTP', verificationStatus: 'VERIFIED', birthDate: '2011-03-15', capabilities: { canSubmitDeclaration: false } },
      {
        id: ids[2],
        authenticationMethod: 'THIRD_PERSON',
        verificationStatus: 'VERIFIED',
        birthDate: '1950-01-20',
        capabilities: { canSubmitDeclaration: false },
      },
    ]);
  });
});
