/**
 * The four personal-data mutations on a real database: an accepted input changes the data,
 * bumps the version and leaves one history row; every kind of bad input yields its code and
 * changes nothing (the stored row is compared byte for byte, and no history row appears).
 */
import { patientCaller, useSubgraph } from '@pc/testing';
import { subgraph } from '../src/subgraph';
import { M, freshPerson, historyRows, mutate, rawRow, type Payload } from './helpers';

const sg = useSubgraph(subgraph);

const codes = (p: Payload): string[] => p.userErrors.map((e) => e.code);

/**
 * Runs one rejected input against a fresh person and proves the rejection: the expected code on
 * the expected field, the unchanged person in the payload, the stored row unchanged, no history.
 */
async function expectRejected(doc: string, input: Record<string, unknown>, code: string, field: string[]): Promise<void> {
  const id = await freshPerson(sg.dataSource);
  const before = await rawRow(sg.dataSource, id);
  const p = await mutate(sg, doc, { expectedVersion: 1, ...input }, patientCaller(id));
  expect(p.userErrors).toContainEqual(expect.objectContaining({ code, field }));
  expect(p.person?.version).toBe(1);
  expect(await rawRow(sg.dataSource, id)).toBe(before);
  expect(await historyRows(sg.dataSource, id)).toHaveLength(0);
}

const RESIDENCE = {
  type: 'RESIDENCE',
  country: 'UA',
  area: 'Одеська',
  region: 'Одеський',
  settlement: 'Одеса',
  settlementType: 'CITY',
  streetType: 'вул.',
  street: 'Пушкінська',
  building: '17',
  apartment: '4',
  zip: '65023',
};
const PASSPORT = { type: 'PASSPORT', number: 'КМ345678', issuedAt: '2003-05-06', issuedBy: 'Приморський РВ ОМУ ГУМВС України в Одеській області' };
const ID_CARD = { type: 'NATIONAL_ID', number: '123456789', issuedAt: '2024-02-01', issuedBy: '5110', expirationDate: '2034-02-01' };

describe('updateContacts', () => {
  it('accepts new phones, e-mail and channel: data changed, version bumped, one history row', async () => {
    const id = await freshPerson(sg.dataSource);
    const caller = patientCaller(id);
    const p = await mutate(
      sg,
      M.contacts,
      {
        expectedVersion: 1,
        email: 'new.mail@example.com',
        phones: [{ type: 'MOBILE', number: '+380971112233' }],
        preferredWayOfCommunication: 'EMAIL',
      },
      caller,
    );
    expect(p.userErrors).toEqual([]);
    expect(p.person).toMatchObject({ version: 2, email: 'new.mail@example.com', phones: [{ type: 'MOBILE', number: '+380971112233' }] });
    const [h, ...more] = await historyRows(sg.dataSource, id);
    expect(more).toHaveLength(0);
    expect(h).toMatchObject({
      action: 'updateContacts',
      version_before: 1,
      version_after: 2,
      client_id: caller.clientId,
      subject: id,
      token_id: caller.tokenId,
      // The subgraph takes the request id from the gateway's header (a fresh one here).
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      old_values: { email: 'olena.kovalenko@example.com', preferredWayOfCommunication: 'PHONE' },
      new_values: { email: 'new.mail@example.com', preferredWayOfCommunication: 'EMAIL', phones: [{ type: 'MOBILE', number: '+380971112233' }] },
    });
    expect((h?.old_values as { phones: unknown[] }).phones).toHaveLength(2);
  });

  it('leaves omitted fields as they are and clears the e-mail on an explicit null', async () => {
    const id = await freshPerson(sg.dataSource);
    const p = await mutate(sg, M.contacts, { expectedVersion: 1, email: null }, patientCaller(id));
    expect(p.userErrors).toEqual([]);
    expect(p.person).toMatchObject({ version: 2, email: null });
    expect(p.person?.phones).toHaveLength(2);
  });

  it('writes nothing, not even a version, for a change that changes nothing', async () => {
    const id = await freshPerson(sg.dataSource);
    const before = await rawRow(sg.dataSource, id);
    const p = await mutate(sg, M.contacts, { expectedVersion: 1, email: 'olena.kovalenko@example.com' }, patientCaller(id));
    expect(p.userErrors).toEqual([]);
    expect(p.person?.version).toBe(1);
    expect(await rawRow(sg.dataSource, id)).toBe(before);
    expect(await historyRows(sg.dataSource, id)).toHaveLength(0);
  });

  it.each([
    ['a malformed phone', { phones: [{ type: 'MOBILE', number: '+3801234' }] }, 'INVALID_PHONE', ['input', 'phones', '0', 'number']],
    [
      'two phones of one type',
      {
        phones: [
          { type: 'MOBILE', number: '+380501111111' },
          { type: 'MOBILE', number: '+380502222222' },
        ],
      },
      'DUPLICATE_PHONE_TYPE',
      ['input', 'phones', '1', 'type'],
    ],
    ['a malformed e-mail', { email: 'not-an-email' }, 'INVALID_EMAIL', ['input', 'email']],
    [
      'EMAIL as channel without an e-mail',
      { email: null, preferredWayOfCommunication: 'EMAIL' },
      'PREFERRED_CHANNEL_UNAVAILABLE',
      ['input', 'preferredWayOfCommunication'],
    ],
    ['PHONE as channel without phones', { phones: [] }, 'PREFERRED_CHANNEL_UNAVAILABLE', ['input', 'preferredWayOfCommunication']],
    ['a stale version', { expectedVersion: 0, email: 'x@example.com' }, 'VERSION_CONFLICT', ['input', 'expectedVersion']],
  ])('rejects %s and writes nothing', async (_, input, code, field) => {
    await expectRejected(M.contacts, input, code, field);
  });

  it('reports every problem of one input at once', async () => {
    const id = await freshPerson(sg.dataSource);
    const p = await mutate(sg, M.contacts, { expectedVersion: 7, email: 'bad', phones: [{ type: 'MOBILE', number: '1' }] }, patientCaller(id));
    expect(codes(p).sort()).toEqual(['INVALID_EMAIL', 'INVALID_PHONE', 'VERSION_CONFLICT']);
  });
});

describe('updateAddresses', () => {
  it('replaces the address list and bumps the version', async () => {
    const id = await freshPerson(sg.dataSource);
    const p = await mutate(sg, M.addresses, { expectedVersion: 1, addresses: [RESIDENCE] }, patientCaller(id));
    expect(p.userErrors).toEqual([]);
    expect(p.person?.version).toBe(2);
    expect(p.person?.addresses).toEqual([{ ...RESIDENCE, settlementId: null }]);
    const [h] = await historyRows(sg.dataSource, id);
    expect(h).toMatchObject({ action: 'updateAddresses', new_values: { addresses: [{ ...RESIDENCE, settlementId: null }] } });
    expect((h?.old_values as { addresses: unknown[] }).addresses).toHaveLength(2);
  });

  it.each([
    ['no RESIDENCE', [{ ...RESIDENCE, type: 'REGISTRATION' }], 'RESIDENCE_ADDRESS_REQUIRED', ['input', 'addresses']],
    ['two RESIDENCE addresses', [RESIDENCE, RESIDENCE], 'DUPLICATE_ADDRESS_TYPE', ['input', 'addresses', '1', 'type']],
    ['a malformed zip', [{ ...RESIDENCE, zip: '6502' }], 'INVALID_ZIP', ['input', 'addresses', '0', 'zip']],
    ['a malformed building', [{ ...RESIDENCE, building: '0' }], 'INVALID_BUILDING', ['input', 'addresses', '0', 'building']],
    ['a blank settlement', [{ ...RESIDENCE, settlement: '  ' }], 'FIELD_REQUIRED', ['input', 'addresses', '0', 'settlement']],
    ['an overlong street', [{ ...RESIDENCE, street: 'я'.repeat(256) }], 'TEXT_TOO_LONG', ['input', 'addresses', '0', 'street']],
  ])('rejects %s and writes nothing', async (_, addresses, code, field) => {
    await expectRejected(M.addresses, { addresses }, code, field);
  });
});

describe('updateDocuments', () => {
  it('replaces the documents, bumps the version and sends the record back to verification', async () => {
    const id = await freshPerson(sg.dataSource);
    const p = await mutate(sg, M.documents, { expectedVersion: 1, documents: [PASSPORT] }, patientCaller(id));
    expect(p.userErrors).toEqual([]);
    expect(p.person).toMatchObject({ version: 2, verificationStatus: 'VERIFICATION_NEEDED', documents: [{ ...PASSPORT, expirationDate: null }] });
    const [h] = await historyRows(sg.dataSource, id);
    expect(h).toMatchObject({
      action: 'updateDocuments',
      old_values: { verificationStatus: 'VERIFIED' },
      new_values: { verificationStatus: 'VERIFICATION_NEEDED', documents: [{ ...PASSPORT, expirationDate: null }] },
    });
  });

  it('accepts the UNZR of a new ID card for a person who had none', async () => {
    const id = await freshPerson(sg.dataSource, { unzr: null, documents: [{ ...PASSPORT, expirationDate: null } as never] });
    const p = await mutate(sg, M.documents, { expectedVersion: 1, documents: [ID_CARD], unzr: '19850412-00777' }, patientCaller(id));
    expect(p.userErrors).toEqual([]);
    expect(p.person).toMatchObject({ version: 2, unzr: '19850412-00777', documents: [ID_CARD] });
  });

  it.each([
    ['a malformed passport number', [{ ...PASSPORT, number: 'KM345678' }], {}, 'INVALID_DOCUMENT_NUMBER', ['input', 'documents', '0', 'number']],
    ['an issue date in the future', [{ ...PASSPORT, issuedAt: '2999-01-01' }], {}, 'DOCUMENT_ISSUED_IN_FUTURE', ['input', 'documents', '0', 'issuedAt']],
    ['an issue date before birth', [{ ...PASSPORT, issuedAt: '1980-01-01' }], {}, 'DOCUMENT_ISSUED_BEFORE_BIRTH', ['input', 'documents', '0', 'issuedAt']],
    ['an expired document', [{ ...ID_CARD, expirationDate: '2020-01-01' }], {}, 'DOCUMENT_EXPIRED', ['input', 'documents', '0', 'expirationDate']],
    ['an ID card without expiry', [{ ...ID_CARD, expirationDate: null }], {}, 'EXPIRATION_DATE_REQUIRED', ['input', 'documents', '0', 'expirationDate']],
    ['a passport and an ID card', [PASSPORT, ID_CARD], {}, 'MULTIPLE_IDENTITY_DOCUMENTS', ['input', 'documents', '1', 'type']],
    ['two documents of one type', [PASSPORT, PASSPORT], {}, 'DUPLICATE_DOCUMENT_TYPE', ['input', 'documents', '1', 'type']],
    ['a blank issuing authority', [{ ...PASSPORT, issuedBy: ' ' }], {}, 'FIELD_REQUIRED', ['input', 'documents', '0', 'issuedBy']],
    ['an overlong issuing authority', [{ ...PASSPORT, issuedBy: 'я'.repeat(256) }], {}, 'TEXT_TOO_LONG', ['input', 'documents', '0', 'issuedBy']],
    ['a UNZR other than the one on file', [ID_CARD], { unzr: '19850413-00318' }, 'UNZR_NOT_CHANGEABLE', ['input', 'unzr']],
    ['a stale version', [PASSPORT], { expectedVersion: 2 }, 'VERSION_CONFLICT', ['input', 'expectedVersion']],
  ])('rejects %s and writes nothing', async (_, documents, extra, code, field) => {
    await expectRejected(M.documents, { documents, ...extra }, code, field);
  });

  it('rejects an ID card without a UNZR, and a UNZR that contradicts the birth date, when none is on file', async () => {
    const noUnzr = { unzr: null, documents: [{ ...PASSPORT, expirationDate: null } as never] };
    for (const [unzr, code, field] of [
      [null, 'UNZR_REQUIRED', ['input', 'documents', '0', 'type']],
      ['19850413-00318', 'UNZR_BIRTH_DATE_MISMATCH', ['input', 'unzr']],
    ] as const) {
      const id = await freshPerson(sg.dataSource, noUnzr);
      const before = await rawRow(sg.dataSource, id);
      const p = await mutate(sg, M.documents, { expectedVersion: 1, documents: [ID_CARD], unzr }, patientCaller(id));
      expect(p.userErrors).toContainEqual(expect.objectContaining({ code, field: [...field] }));
      expect(await rawRow(sg.dataSource, id)).toBe(before);
      expect(await historyRows(sg.dataSource, id)).toHaveLength(0);
    }
  });
});

describe('updateEmergencyContact', () => {
  const contact = { firstName: 'Ганна', lastName: 'Мʼясоїд', secondName: null, phones: [{ type: 'MOBILE', number: '+380631234567' }] };

  it('replaces the contact and bumps the version', async () => {
    const id = await freshPerson(sg.dataSource);
    const p = await mutate(sg, M.emergency, { expectedVersion: 1, emergencyContact: contact }, patientCaller(id));
    expect(p.userErrors).toEqual([]);
    expect(p.person).toMatchObject({ version: 2, emergencyContact: contact });
    const [h] = await historyRows(sg.dataSource, id);
    expect(h).toMatchObject({
      action: 'updateEmergencyContact',
      old_values: { emergencyContact: { firstName: 'Петро' } },
      new_values: { emergencyContact: contact },
    });
  });

  it.each([
    ['a name with a Russian-only letter', { ...contact, firstName: 'Ыван' }, 'INVALID_NAME', ['input', 'emergencyContact', 'firstName']],
    ['no phone', { ...contact, phones: [] }, 'EMERGENCY_CONTACT_PHONE_REQUIRED', ['input', 'emergencyContact', 'phones']],
    [
      'a malformed phone',
      { ...contact, phones: [{ type: 'MOBILE', number: '0631234567' }] },
      'INVALID_PHONE',
      ['input', 'emergencyContact', 'phones', '0', 'number'],
    ],
  ])('rejects %s and writes nothing', async (_, emergencyContact, code, field) => {
    await expectRejected(M.emergency, { emergencyContact }, code, field);
  });
});

describe('several changes in one request', () => {
  it('applies the first and refuses the second with the same expected version', async () => {
    const id = await freshPerson(sg.dataSource);
    const r = await sg.call<{ a: Payload; b: Payload }>(
      `mutation($c: UpdateContactsInput!, $d: UpdateAddressesInput!) {
        a: updateContacts(input: $c) { person { version } userErrors { code } }
        b: updateAddresses(input: $d) { person { version } userErrors { code } }
      }`,
      { c: { expectedVersion: 1, email: 'a@example.com' }, d: { expectedVersion: 1, addresses: [RESIDENCE] } },
      patientCaller(id),
    );
    expect(r.data?.a).toEqual({ person: { version: 2 }, userErrors: [] });
    expect(r.data?.b).toEqual({ person: { version: 2 }, userErrors: [{ code: 'VERSION_CONFLICT' }] });
    expect(await historyRows(sg.dataSource, id)).toHaveLength(1);
  });
});
