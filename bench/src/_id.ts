import { signCallerToken, subgraphAudience } from '@pc/auth';
import { DEMO_CABINETS, PATIENT_SCOPES } from '@pc/demo';
import { postJson } from './load/postJson';
import { runClosedLoop } from './load/measure';
async function main() {
  const secret = 'x'.repeat(40);
  const url = new URL('http://127.0.0.1:5201/graphql');
  const person = process.argv[2];
  const token = await signCallerToken({ subject: person, roles: ['PATIENT'], scopes: PATIENT_SCOPES, clientId: DEMO_CABINETS.state.id, tokenId: null, requestId: 'x' }, { secret, audience: subgraphAudience('identity') });
  const q = process.env.Q ?? '{ me { id firstName lastName birthDate verificationStatus } }';
  const one = await postJson(url, { query: q }, { 'x-caller-token': token });
  console.log(JSON.stringify(one.body).slice(0, 300));
  for (const c of [1, 20]) {
    const r = await runClosedLoop(async () => { const x = await postJson(url, { query: q }, { 'x-caller-token': token }); if (x.body.errors) throw new Error(JSON.stringify(x.body.errors)); }, c, 4);
    console.log(c, r.rps, r.latencyMs, r.errors, r.sampleError);
  }
}
main().then(() => process.exit(0));
