/**
 * `npm run --silent token -- --demo patient` prints a bearer token (the bare JWT) from the
 * development issuer. See README "Tokens" for every option.
 */
import { parseArgs } from 'node:util';
import { DEMO_CABINETS, DEMO_PERSONAS, DOCTOR_SCOPES, PATIENT_SCOPES, type DemoPersona } from '@pc/demo';
import { loadDevIssuer } from '../auth/devIssuer';
import { loadGatewayConfig } from '../config';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      demo: { type: 'string' },
      person: { type: 'string' },
      doctor: { type: 'string' },
      client: { type: 'string' },
      scope: { type: 'string' },
      ttl: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || (!values.demo && !values.person && !values.doctor)) {
    process.stderr.write(
      'usage: npm run --silent token -- (--demo patient|other|teen|represented|doctor | --person <id> | --doctor <id>)\n' +
        '                               [--client <cabinet id>] [--scope "a b"] [--ttl <seconds>]\n',
    );
    process.exit(values.help ? 0 : 2);
  }
  let sub: string;
  let role: 'PATIENT' | 'DOCTOR';
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
  const token = await issuer.mint({
    sub,
    roles: [role],
    scopes: values.scope ? values.scope.split(/\s+/).filter(Boolean) : role === 'DOCTOR' ? DOCTOR_SCOPES : PATIENT_SCOPES,
    clientId: values.client ?? DEMO_CABINETS.state.id,
    ttlSeconds: ttl,
  });
  process.stdout.write(`${token}\n`);
}

void main();
