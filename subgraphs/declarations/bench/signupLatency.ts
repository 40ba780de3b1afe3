/**
 * Rough numbers for docs/declarations.md: sign-up latency (submit + sign, each reading both
 * owners first), 50 concurrent sign-ups contending for one doctor's last place, and resolving
 * 100 people's declarations. Uses the test harness (fake owners over HTTP, a fresh database):
 *
 *   node -r @swc-node/register subgraphs/declarations/bench/signupLatency.ts            # PGlite
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node -r @swc-node/register subgraphs/declarations/bench/signupLatency.ts
 */
import { performance } from 'node:perf_hooks';
import { serviceCaller } from '@pc/testing';
import { startDeclarations } from '../test/support/startDeclarations';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  const t = await startDeclarations();
  try {
    const { doctor, division } = t.owners.addDoctor({ declarationLimit: 100_000 });
    for (let i = 0; i < 10; i++) await t.declare(t.owners.addPerson().id, doctor.id, division.id); // warm up
    const submit: number[] = [];
    const sign: number[] = [];
    const people: string[] = [];
    for (let i = 0; i < 100; i++) {
      const p = t.owners.addPerson();
      people.push(p.id);
      let t0 = performance.now();
      const s = await t.submit(p.id, doctor.id, division.id);
      submit.push(performance.now() - t0);
      t0 = performance.now();
      await t.sign(doctor.id, s.data!.submitDeclarationRequest.declarationRequest!.id);
      sign.push(performance.now() - t0);
    }
    const line = (name: string, xs: number[]) => `${name.padEnd(8)} p50 ${pct(xs, 50).toFixed(1)} ms  p95 ${pct(xs, 95).toFixed(1)} ms`;
    console.log(`database: ${t.db.kind}`);
    console.log(line('submit', submit));
    console.log(line('sign', sign));

    const full = t.owners.addDoctor({ declarationLimit: 1 });
    const t0 = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const p = t.owners.addPerson();
        const s = await t.submit(p.id, full.doctor.id, full.division.id);
        const id = s.data?.submitDeclarationRequest.declarationRequest?.id;
        return id ? (await t.sign(full.doctor.id, id)).data?.signDeclarationRequest.declarationRequest?.status : 'refused';
      }),
    );
    console.log(`50 concurrent sign-ups for 1 place: ${(performance.now() - t0).toFixed(0)} ms, signed ${outcomes.filter((o) => o === 'SIGNED').length}`);

    const q =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { declarations { id number doctor { id } } activeDeclaration { id } declarationRequests { id declaration { id } } } } }';
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      t.sg.counter.reset();
      const t1 = performance.now();
      await t.sg.call(q, { r: people.map((id) => ({ __typename: 'Person', id })) }, serviceCaller('bench'));
      times.push(performance.now() - t1);
    }
    console.log(`${line('100 people', times)}  (${t.sg.counter.count} SQL statements each)`);
  } finally {
    await t.stop();
  }
}

void main();
