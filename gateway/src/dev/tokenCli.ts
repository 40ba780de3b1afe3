/**
 * `npm run --silent token -- --demo patient` prints a bearer token (the bare JWT) from the
 * development issuer. See README "Tokens" for every option.
 *
 * `--consent` plays the identity provider's consent screen: before minting a patient token it
 * records the person's consent to the token's cabinet with the token's scopes (granting again
 * merges scopes), through the access subgraph's internal `grantAccess` with a service
 * credential. Without it nothing is granted, and a token for a cabinet the person has not
 * consented to (or has revoked) is refused by the gateway — see docs/access.md.
 */
import { parseArgs } from 'node:util';
import { CALLER_TOKEN_HEADER, signCallerToken, subgraphAudience, type Role } from '@pc/auth';
import { DEMO_CABINETS, DEMO_PERSONAS, demoScopes, type DemoPersona } from '@pc/demo';
import { readSubgraphList } from '@pc/schema';
import { loadDevIssuer } from '../auth/devIssuer';
import { loadGatewayConfig, parseSubgraphUrls, type GatewayConfig } from '../config';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      demo: { type: 'string' },
      person: { type: 'string' },
      doctor: { type: 'string' },
      client: { type: 'string' },
      scope: { type: 'string' },
      ttl: { type: 'string' },
      consent: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || (!values.demo && !values.person && !values.doctor)) {
    process.stderr.write(
      `usage: npm run --silent token -- (--demo ${Object.keys(DEMO_PERSONAS).join('|')} | --person <id> | --doctor <id>)\n` +
        '                               [--client <cabinet id>] [--scope "a b"] [--ttl <seconds>] [--consent]\n' +
        "  --consent  record the patient's consent to the cabinet first (needs the running system)\n",
    );
    process.exit(values.help ? 0 : 2);
  }
  let sub: string;
  let role: Role;
  if (values.demo) {
    const persona = DEMO_PERSONAS[values.demo as DemoPersona];
    if (!persona) {
      process.stderr.write(`unknown demo persona "${values.demo}"; one of ${Object.keys(DEMO_PERSONAS).join(', ')}\n`);
      process.exit(2);
    }
    sub = persona.id;
    role = persona.role;
  } else if (values.doctor) {
    sub = values.doctor;
    role = 'DOCTOR';
  } else {
    sub = values.person!;
    role = 'PATIENT';
  }
  const config = loadGatewayConfig();
  if (!config.DEV_ISSUER) {
    process.stderr.write('the development issuer is off (DEV_ISSUER=false or NODE_ENV=production)\n');
    process.exit(2);
  }
  const issuer = await loadDevIssuer(config.DATA_DIR, config.JWT_ISSUER, config.JWT_AUDIENCE);
  const ttl = values.ttl ? Number(values.ttl) : 3600;
  if (!Number.isInteger(ttl) || ttl <= 0) {
    process.stderr.write('--ttl must be a positive number of seconds\n');
    process.exit(2);
  }
  const claims = {
    sub,
    roles: [role],
    scopes: values.scope ? values.scope.split(/\s+/).filter(Boolean) : demoScopes(role),
    clientId: values.client ?? DEMO_CABINETS.state.id,
    ttlSeconds: ttl,
  };
  if (values.consent) {
    if (role !== 'PATIENT') {
      process.stderr.write("--consent is for patient tokens: doctors do not act under a patient's consent\n");
      process.exit(2);
    }
    await consent(config, claims);
  }
  const token = await issuer.mint(claims);
  process.stdout.write(`${token}\n`);
}

/** Records the consent through the access subgraph (the gateway does not expose grantAccess). */
async function consent(config: GatewayConfig, claims: { sub: string; clientId: string; scopes: string[] }): Promise<void> {
  const entry = readSubgraphList().find((e) => e.name === 'access');
  const url = parseSubgraphUrls(config.SUBGRAPH_URLS).access ?? (entry && `http://127.0.0.1:${entry.port}/graphql`);
  if (!url) {
    process.stderr.write('--consent: no access subgraph in schema/subgraphs.json\n');
    process.exit(2);
  }
  const caller = { subject: 'dev-issuer', roles: ['SERVICE' as const], scopes: [], clientId: null, tokenId: null, requestId: `token-cli-${Date.now()}` };
  const callerToken = await signCallerToken(caller, { secret: config.INTERNAL_TOKEN_SECRET, audience: subgraphAudience('access') });
  let body: {
    data?: { grantAccess?: { accessGrant: { id: string; scopes: string[] } | null; userErrors: { code: string; message: string }[] } };
    errors?: { message: string }[];
  };
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CALLER_TOKEN_HEADER]: callerToken },
      body: JSON.stringify({
        query: 'mutation($i: GrantAccessInput!) { grantAccess(input: $i) { accessGrant { id scopes } userErrors { code message } } }',
        variables: { i: { personId: claims.sub, cabinetId: claims.clientId, scopes: claims.scopes } },
      }),
    });
    body = (await res.json()) as typeof body;
  } catch (err) {
    process.stderr.write(`--consent: the access subgraph at ${url} did not answer (is npm start running?): ${(err as Error).message}\n`);
    process.exit(1);
  }
  const result = body.data?.grantAccess;
  if (!result || result.userErrors.length > 0 || body.errors) {
    const why = result?.userErrors.map((e) => `${e.code}: ${e.message}`).join('; ') ?? body.errors?.map((e) => e.message).join('; ');
    process.stderr.write(`--consent refused: ${why}\n`);
    process.exit(1);
  }
  process.stderr.write(`consent recorded: grant ${result.accessGrant!.id}, scopes ${result.accessGrant!.scopes.join(' ')}\n`);
}

void main();
