import { anonymous, startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { subgraph } from '../src/subgraph';
import { ProviderStore } from '../src/services/ProviderStore';
import { AT, DIV, DOC, EXTRA, HIDDEN, LE, LISTED, smallDirectory } from './support/smallDirectory';

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string; fullName: string } }[];
}

const SEARCH = `query($filter: DoctorSearchFilter, $first: Int, $after: String) {
  searchDoctors(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id fullName } }
  }
}`;

let db: TestDatabase;
let sg: RunningSubgraph;
let store: ProviderStore;

beforeAll(async () => {
  db = await startTestDatabase();
  sg = await startSubgraph(subgraph, { databaseUrl: db.url, seed: false });
  store = new ProviderStore(sg.dataSource);
  await store.insert(smallDirectory());
});
afterAll(async () => {
  await sg?.stop();
  await db?.stop();
});

async function search(filter: Record<string, unknown> | null, first?: number, after?: string): Promise<Page> {
  const res = await sg.call<{ searchDoctors: Page }>(SEARCH, { filter, first, after }, anonymous());
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.searchDoctors;
}

async function searchError(filter: Record<string, unknown> | null, first?: number, after?: string) {
  const res = await sg.call(SEARCH, { filter, first, after }, anonymous());
  expect(res.errors).toHaveLength(1);
  return res.errors![0];
}

/** Ids of every page of a search, following endCursor. */
async function pageThrough(filter: Record<string, unknown> | null, size: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await search(filter, size, after);
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor!;
  }
  throw new Error('pagination did not end');
}

const ids = (page: Page) => page.edges.map((e) => e.node.id);
const sorted = (list: readonly string[]) => [...list].sort();

describe('searchDoctors filters', () => {
  it('with no filter lists exactly the listed doctors, alphabetically (Ukrainian order)', async () => {
    const page = await search(null, 100);
    expect(sorted(ids(page))).toEqual(sorted(LISTED));
    expect(page.totalCount).toBe(LISTED.length);
    const names = page.edges.map((e) => e.node.fullName);
    // Ukrainian alphabet: А Б … Г Ґ … Е Є … И І Ї … Я (not Unicode order, where Є І Ї Ґ follow Я).
    expect(names.indexOf('Ґудзь Галина Петрівна')).toBe(names.indexOf('Гнатюк Ірина Романівна') + 1);
    expect(names.indexOf('Іваненко Ігор Олегович')).toBeLessThan(names.indexOf('Їжакевич Дарина Андріївна'));
    expect(names.indexOf('Їжакевич Дарина Андріївна')).toBeLessThan(names.indexOf('Коваленко Марія Степанівна'));
    expect(names.indexOf('Єременко Олена Ігорівна')).toBeLessThan(names.indexOf('Іваненко Ігор Олегович'));
    expect(names[0]).toBe('Аврамчук Алла Борисівна');
    expect(names.slice(-3)).toEqual(['Яковенко Софія-Марія Тарасівна', 'Яременко Ніна Василівна', 'Ярош Віра Степанівна']);
  });

  it('name: case-insensitive prefix of last, first or second name', async () => {
    expect(ids(await search({ name: 'шевч' }))).toEqual([DOC.shevchenkoOlena, DOC.shevchukAndrii]);
    expect(ids(await search({ name: 'ШЕВЧ' }))).toEqual([DOC.shevchenkoOlena, DOC.shevchukAndrii]);
    expect(ids(await search({ name: 'олен' }))).toEqual(
      expect.arrayContaining([DOC.shevchenkoOlena, EXTRA[6]]), // first name Олена, and Єременко Олена
    );
    expect(ids(await search({ name: 'Степанівна' }))).toEqual([DOC.kovalenkoMariia, EXTRA[13]]); // second names
    // Two letters: prefixes only (no typo matching for short words).
    const iv = ids(await search({ name: 'ів' }, 100));
    expect(iv[0]).toBe(DOC.ivanenkoIhor);
    expect(sorted(iv)).toEqual(sorted([DOC.ivanenkoIhor, DOC.shevchukAndrii, EXTRA[0], EXTRA[1], EXTRA[2], EXTRA[14]]));
  });

  it('name: several words must all match, in any order', async () => {
    expect(ids(await search({ name: 'Шевченко Олена' }))).toEqual([DOC.shevchenkoOlena]);
    expect(ids(await search({ name: 'олена шевченко' }))).toEqual([DOC.shevchenkoOlena]);
    expect(ids(await search({ name: 'Шевченко Андрій' }))).toEqual([]);
  });

  it('name: tolerates a typo in words of four letters or more', async () => {
    expect(ids(await search({ name: 'Шевчнко' }))).toContain(DOC.shevchenkoOlena);
    expect(ids(await search({ name: 'Коваленка' }))).toEqual([DOC.kovalenkoMariia]);
    expect(ids(await search({ name: 'Іваненко Ігорь' }))).toEqual([DOC.ivanenkoIhor]);
    expect(ids(await search({ name: 'Гваненко' }))).toEqual([DOC.ivanenkoIhor]); // even the first letter
  });

  it('name: ranks last-name prefixes first, then other prefixes, then typo matches', async () => {
    // "Іван": Іваненко (last name) before Шевчук Андрій Іванович (second name) and the Ткаченко Анна Іванівна.
    const page = await search({ name: 'Іван' });
    expect(ids(page)[0]).toBe(DOC.ivanenkoIhor);
    expect(ids(page)).toContain(DOC.shevchukAndrii);
    // A typo match comes after every exact prefix match.
    const mixed = ids(await search({ name: 'Шевчнко' }));
    expect(mixed).not.toContain(DOC.shevchukAndrii);
  });

  it('name: apostrophes, hyphens and Latin look-alike letters are normalised', async () => {
    expect(ids(await search({ name: "Мар'яненко" }))).toEqual([DOC.marianenkoYuliia]);
    expect(ids(await search({ name: 'Марʼяненко' }))).toEqual([DOC.marianenkoYuliia]);
    expect(ids(await search({ name: 'Софія-Марія' }))).toEqual([DOC.yakovenkoSofiia]);
    expect(ids(await search({ name: 'Марія' }))).toEqual(expect.arrayContaining([DOC.yakovenkoSofiia, DOC.kovalenkoMariia]));
    expect(ids(await search({ name: 'Шeвченко' }))).toEqual([DOC.shevchenkoOlena]); // Latin "e"
  });

  it('speciality', async () => {
    expect(sorted(ids(await search({ speciality: 'THERAPIST' })))).toEqual(sorted([DOC.shevchukAndrii, DOC.marianenkoYuliia]));
    expect(ids(await search({ speciality: 'PEDIATRICIAN' }))).toEqual([DOC.kovalenkoMariia]);
    expect((await search({ speciality: 'FAMILY_DOCTOR' }, 0)).totalCount).toBe(3 + EXTRA.length);
  });

  it('settlement: case-insensitive, with or without the "м." prefix', async () => {
    const kyiv = sorted([DOC.shevchenkoOlena, DOC.shevchukAndrii, ...EXTRA]);
    expect(sorted(ids(await search({ settlement: 'Київ' }, 100)))).toEqual(kyiv);
    expect(sorted(ids(await search({ settlement: 'м. київ' }, 100)))).toEqual(kyiv);
    expect(sorted(ids(await search({ settlement: 'БРОВАРИ' })))).toEqual(sorted([DOC.shevchukAndrii, DOC.kovalenkoMariia]));
    expect(ids(await search({ settlement: 'Одеса' }))).toEqual([]);
  });

  it('area: with or without "область"; Kyiv city is its own area', async () => {
    const kyivOblast = sorted([DOC.shevchukAndrii, DOC.kovalenkoMariia]);
    expect(sorted(ids(await search({ area: 'Київська область' })))).toEqual(kyivOblast);
    expect(sorted(ids(await search({ area: 'київська' })))).toEqual(kyivOblast);
    expect(sorted(ids(await search({ area: 'Львівська обл.' })))).toEqual(sorted([DOC.ivanenkoIhor, DOC.yakovenkoSofiia, DOC.marianenkoYuliia]));
    expect((await search({ area: 'м. Київ' }, 0)).totalCount).toBe(2 + EXTRA.length);
  });

  it('near + radiusKm: within the circle, nearest first', async () => {
    const five = await search({ near: AT.kyivMain, radiusKm: 5 }, 100);
    expect(sorted(ids(five))).toEqual(sorted([DOC.shevchenkoOlena, DOC.shevchukAndrii, ...EXTRA]));
    const thirty = ids(await search({ near: AT.kyivMain, radiusKm: 30 }, 100));
    expect(thirty).toHaveLength(3 + EXTRA.length);
    expect(thirty.at(-1)).toBe(DOC.kovalenkoMariia); // Бровари, ~19 km
    // From Бровари: the two doctors working there first, though one of them also works in Kyiv.
    const fromBrovary = ids(await search({ near: AT.brovary, radiusKm: 30 }, 100));
    expect(sorted(fromBrovary.slice(0, 2))).toEqual(sorted([DOC.shevchukAndrii, DOC.kovalenkoMariia]));
    const lviv = ids(await search({ near: AT.lvivMain, radiusKm: 100 }));
    expect(lviv.slice(0, 2).sort()).toEqual(sorted([DOC.ivanenkoIhor, DOC.marianenkoYuliia]));
    expect(lviv[2]).toBe(DOC.yakovenkoSofiia); // Стрий, ~65 km
    expect(ids(await search({ near: AT.lvivMain, radiusKm: 50 }))).not.toContain(DOC.yakovenkoSofiia);
  });

  it('near without radiusKm uses the default radius (25 km)', async () => {
    expect(ids(await search({ near: AT.kyivMain }, 100))).toHaveLength(3 + EXTRA.length);
    expect(ids(await search({ near: AT.lvivMain }))).not.toContain(DOC.yakovenkoSofiia);
  });

  it('acceptingNewPatients follows the declaration counts', async () => {
    const limits = { FAMILY_DOCTOR: 1800, THERAPIST: 2000, PEDIATRICIAN: 900 };
    await store.recordDeclarationCounts([{ doctorId: DOC.marianenkoYuliia, activeDeclarationCount: 2000 }], limits);
    expect(ids(await search({ acceptingNewPatients: false }))).toEqual([DOC.marianenkoYuliia]);
    expect(ids(await search({ acceptingNewPatients: true }, 100))).not.toContain(DOC.marianenkoYuliia);
    expect((await search({ acceptingNewPatients: true }, 0)).totalCount).toBe(LISTED.length - 1);
    await store.recordDeclarationCounts(
      [
        { doctorId: DOC.marianenkoYuliia, activeDeclarationCount: 1999 },
        { doctorId: '00000000-0000-4000-8000-000000000000', activeDeclarationCount: 5 },
      ],
      limits,
    );
    expect(ids(await search({ acceptingNewPatients: false }))).toEqual([]);
  });

  it('legalEntityId and divisionId', async () => {
    expect(sorted(ids(await search({ legalEntityId: LE.lviv })))).toEqual(sorted([DOC.ivanenkoIhor, DOC.yakovenkoSofiia, DOC.marianenkoYuliia]));
    expect(ids(await search({ legalEntityId: LE.suspended }))).toEqual([]);
    expect(sorted(ids(await search({ divisionId: DIV.brovary })))).toEqual(sorted([DOC.shevchukAndrii, DOC.kovalenkoMariia]));
    expect(ids(await search({ divisionId: DIV.kyivClosed }))).toEqual([]);
  });

  it('combinations: every criterion must hold', async () => {
    expect(ids(await search({ name: 'шевч', speciality: 'FAMILY_DOCTOR', settlement: 'Київ' }))).toEqual([DOC.shevchenkoOlena]);
    expect(ids(await search({ name: 'шевч', speciality: 'THERAPIST', area: 'Київська' }))).toEqual([DOC.shevchukAndrii]);
    // Name + speciality is answered by the word index: prefixes and typos of that speciality only.
    expect(ids(await search({ name: 'шевч', speciality: 'THERAPIST' }))).toEqual([DOC.shevchukAndrii]);
    expect(ids(await search({ name: 'Шевчнко', speciality: 'FAMILY_DOCTOR' }))).toEqual([DOC.shevchenkoOlena]);
    expect(ids(await search({ name: 'Шевчнко', speciality: 'THERAPIST' }))).toEqual([]);
    const iv = await search({ name: 'Ів', speciality: 'FAMILY_DOCTOR' }, 2);
    expect(iv.totalCount).toBe(5); // Іваненко, three Ткаченко Анна Іванівна, Петрук Надія Іванівна; not the therapist Шевчук Андрій Іванович
    expect((await search({ name: 'Ів', speciality: 'FAMILY_DOCTOR' }, 2, iv.pageInfo.endCursor!)).totalCount).toBe(5);
    expect(ids(await search({ settlement: 'Бровари', area: 'Київська область', speciality: 'PEDIATRICIAN' }))).toEqual([DOC.kovalenkoMariia]);
    expect(ids(await search({ settlement: 'Бровари', area: 'Львівська' }))).toEqual([]);
    expect(ids(await search({ legalEntityId: LE.lviv, speciality: 'THERAPIST' }))).toEqual([DOC.marianenkoYuliia]);
    // A division and a place must describe the same division.
    expect(sorted(ids(await search({ divisionId: DIV.brovary, settlement: 'Бровари' })))).toEqual(sorted([DOC.shevchukAndrii, DOC.kovalenkoMariia]));
    expect(ids(await search({ divisionId: DIV.brovary, settlement: 'Київ' }))).toEqual([]);
    // Distance with a place: one division must be both within the radius and in the settlement.
    expect(sorted(ids(await search({ near: AT.kyivMain, radiusKm: 30, settlement: 'Бровари' })))).toEqual(sorted([DOC.shevchukAndrii, DOC.kovalenkoMariia]));
    expect(ids(await search({ near: AT.kyivMain, radiusKm: 5, settlement: 'Бровари' }))).toEqual([]);
    expect(ids(await search({ near: AT.kyivMain, radiusKm: 30, name: 'шевч', speciality: 'THERAPIST' }))).toEqual([DOC.shevchukAndrii]);
    expect(ids(await search({ near: AT.kyivMain, radiusKm: 30, divisionId: DIV.brovary, legalEntityId: LE.kyiv }, 100))).toEqual(
      expect.arrayContaining([DOC.shevchukAndrii, DOC.kovalenkoMariia]),
    );
  });

  it('totalCount is found in fragments too, and is the same asked early or late', async () => {
    const viaFragment = await sg.call<{ searchDoctors: { totalCount: number } }>(
      `query { searchDoctors(filter: { settlement: "Київ" }, first: 1) { ...Total } } fragment Total on DoctorConnection { totalCount }`,
      {},
      anonymous(),
    );
    expect(viaFragment.data!.searchDoctors.totalCount).toBe(2 + EXTRA.length);
  });

  it('totalCount counts every match, not the page', async () => {
    const page = await search({ settlement: 'Київ' }, 5);
    expect(page.edges).toHaveLength(5);
    expect(page.totalCount).toBe(2 + EXTRA.length);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });
});

describe('searchDoctors listing rules', () => {
  it('a dismissed or new doctor, one at an inactive division only, or at a suspended legal entity never shows', async () => {
    const everything = await pageThrough(null, 7);
    const byName = await pageThrough({ name: 'Шевченко' }, 2);
    const nearby = await pageThrough({ near: AT.kyivMain, radiusKm: 50 }, 4);
    const kyiv = await pageThrough({ settlement: 'Київ', speciality: 'FAMILY_DOCTOR' }, 10);
    for (const hidden of HIDDEN) {
      for (const list of [everything, byName, nearby, kyiv]) expect(list).not.toContain(hidden);
      expect(ids(await search({ divisionId: DIV.kyivClosed }))).toEqual([]);
    }
    expect(byName).toEqual([DOC.shevchenkoOlena]);
  });

  it('status changes take effect at once, in both directions', async () => {
    await store.setDoctorStatus(DOC.shevchenkoOlena, 'DISMISSED');
    expect(ids(await search({ name: 'Шевченко' }))).toEqual([]);
    await store.setDoctorStatus(DOC.shevchenkoOlena, 'APPROVED');
    expect(ids(await search({ name: 'Шевченко' }))).toEqual([DOC.shevchenkoOlena]);

    // Closing Бровари hides its pediatrician, and Шевчук is then found in Kyiv only.
    await store.setDivisionStatus(DIV.brovary, 'INACTIVE');
    expect(ids(await search({ speciality: 'PEDIATRICIAN' }))).toEqual([]);
    expect(ids(await search({ settlement: 'Бровари' }))).toEqual([]);
    expect(ids(await search({ speciality: 'THERAPIST', settlement: 'Київ' }))).toEqual([DOC.shevchukAndrii]);
    expect(ids(await search({ near: AT.brovary, radiusKm: 5 }))).toEqual([]);
    await store.setDivisionStatus(DIV.brovary, 'ACTIVE');
    expect(ids(await search({ speciality: 'PEDIATRICIAN' }))).toEqual([DOC.kovalenkoMariia]);

    await store.setLegalEntityStatus(LE.lviv, 'SUSPENDED');
    expect(ids(await search({ area: 'Львівська' }))).toEqual([]);
    await store.setLegalEntityStatus(LE.lviv, 'ACTIVE');
    expect(ids(await search({ area: 'Львівська' }))).toHaveLength(3);
  });
});

describe('searchDoctors pagination', () => {
  it.each([
    ['alphabetical', null, 4],
    ['alphabetical, page of 1', { speciality: 'FAMILY_DOCTOR' }, 1],
    ['relevance', { name: 'Іван' }, 2],
    ['relevance with a speciality (the word index filters it)', { name: 'Ів', speciality: 'FAMILY_DOCTOR' }, 2],
    ['distance', { near: AT.kyivMain, radiusKm: 30 }, 3],
    ['distance, far', { near: AT.lvivMain, radiusKm: 500 }, 5],
  ])('%s: pages neither repeat nor skip a doctor', async (_label, filter, size) => {
    const all = ids(await search(filter, 100));
    const paged = await pageThrough(filter, size);
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(paged.length);
    expect(paged.length).toBe((await search(filter, 0)).totalCount);
    // A first page may count in the page query, a later one counts separately: same total.
    const first = await search(filter, size);
    expect((await search(filter, size, first.pageInfo.endCursor!)).totalCount).toBe(first.totalCount);
  });

  it('orders doctors with the same name by id, so a page boundary between them is stable', async () => {
    const tkachenko = ids(await search({ name: 'Ткаченко Анна Іванівна' }));
    expect(tkachenko).toEqual(sorted(EXTRA.slice(0, 3)));
    expect(await pageThrough({ name: 'Ткаченко Анна Іванівна' }, 1)).toEqual(tkachenko);
  });

  it('cursors are stable: the same cursor gives the same page, and new rows before it do not repeat rows', async () => {
    const first = await search(null, 5);
    const cursor = first.pageInfo.endCursor!;
    const second = await search(null, 5, cursor);
    expect(await search(null, 5, cursor)).toEqual(second);
    expect((await search(null, 5)).edges.map((e) => e.cursor)).toEqual(first.edges.map((e) => e.cursor));
    const rest = await search(null, 100, cursor);
    expect(rest.edges.map((e) => e.node.id)).not.toEqual(expect.arrayContaining(ids(first)));
    expect(rest.edges.length + first.edges.length).toBe(LISTED.length);
  });

  it('first: 0 returns no edges but tells whether there are any', async () => {
    const page = await search(null, 0);
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
  });

  it('defaults to 20 per page', async () => {
    expect((await search(null)).edges).toHaveLength(20);
  });
});

describe('searchDoctors bad arguments', () => {
  it.each([
    ['first above 100', null, 101, undefined, /first must be at most 100/],
    ['negative first', null, -1, undefined, /first must be a non-negative integer/],
    ['negative radius', { near: AT.kyivMain, radiusKm: -5 }, 10, undefined, /radiusKm must be positive/],
    ['zero radius', { near: AT.kyivMain, radiusKm: 0 }, 10, undefined, /radiusKm must be positive/],
    ['radius too large', { near: AT.kyivMain, radiusKm: 5000 }, 10, undefined, /radiusKm must be at most 500/],
    ['a subnormal radius', { near: AT.kyivMain, radiusKm: 5e-324 }, 10, undefined, /radiusKm must be at least 0.001/],
    ['radius without near', { radiusKm: 5 }, 10, undefined, /radiusKm needs filter.near/],
    ['latitude out of range', { near: { latitude: 91, longitude: 30 }, radiusKm: 5 }, 10, undefined, /latitude must be between -90 and 90/],
    ['malformed cursor', null, 10, 'not-a-cursor!', /not a valid cursor/],
    ['base64 but not a cursor', null, 10, Buffer.from('{"hello":1}').toString('base64url'), /not a valid cursor/],
    ['a name with no letters', { name: '%%%' }, 10, undefined, /filter.name must contain letters/],
    ['a malformed legal entity id', { legalEntityId: 'abc' }, 10, undefined, /legalEntityId is not a valid id/],
    ['a name too long', { name: 'а'.repeat(101) }, 10, undefined, /at most 100 characters/],
  ])('%s → BAD_USER_INPUT', async (_label, filter, first, after, message) => {
    const error = await searchError(filter, first, after);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
  });

  it('a subnormal coordinate is searched as 0 degrees, not an internal error', async () => {
    const page = await search({ near: { latitude: 5e-324, longitude: -5e-324 }, radiusKm: 1 }, 5);
    expect(page.edges).toEqual([]);
  });

  it('a cursor from a different search is refused', async () => {
    const page = await search({ speciality: 'THERAPIST' }, 1);
    const error = await searchError({ speciality: 'PEDIATRICIAN' }, 1, page.pageInfo.endCursor!);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/different filter/);
    // …but the same search written differently is the same search.
    const kyiv = await search({ settlement: 'Київ' }, 1);
    expect((await search({ settlement: 'м. київ' }, 1, kyiv.pageInfo.endCursor!)).edges).toHaveLength(1);
  });

  it('a blank name or place is no criterion', async () => {
    expect((await search({ name: '  ', settlement: '' }, 0)).totalCount).toBe(LISTED.length);
  });
});
