/**
 * What the data-access rule (docs/architecture.md, "Data access") must not cost: the SQL
 * statements of each request mutation, counted, stay as many as before the raw SQL moved into
 * src/queries.ts and the single-row writes went through the entities.
 */
import { startDeclarations, type DeclarationsUnderTest } from './support/startDeclarations';

describe('declarations statements per mutation', () => {
  let t: DeclarationsUnderTest;
  beforeAll(async () => {
    t = await startDeclarations();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const count = async (fn: () => Promise<unknown>): Promise<number> => (await t.sg.counter.measure(fn)).statements;

  it('submit, sign, cancel and reject', async () => {
    const p = t.owners.addPerson();
    const { doctor, division } = t.owners.addDoctor();
    let id = '';
    const submit = await count(async () => {
      id = (await t.submit(p.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!.id;
    });
    const sign = await count(() => t.sign(doctor.id, id));
    const again = (await t.submit(p.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!.id;
    const cancel = await count(() => t.cancel(p.id, again));
    const third = (await t.submit(p.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!.id;
    const reject = await count(() => t.reject(doctor.id, third, 'no room today'));
    expect({ submit, sign, cancel, reject }).toEqual({ submit: 9, sign: 14, cancel: 7, reject: 7 });
  });
});
