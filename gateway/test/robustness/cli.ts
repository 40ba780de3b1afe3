/**
 * `npm run fuzz [-- --count N --seed S --concurrency C --examples E --only i,j --json file --strict --free-form]`
 *
 * The full robustness run (default 10,000 hostile requests) against a production-mode system
 * started in this process. Prints counts by status and by code, violations and up to E distinct
 * failing examples; exits 1 on any violation (status >= 500, HTML, stack trace, internal URL,
 * internal detail, no response) or when the gateway no longer serves a listed operation after;
 * with --strict also on an INTERNAL_SERVER_ERROR code under status 500. --free-form lets
 * first-party callers send free-form documents (production refuses them before parsing), so the
 * generated documents reach the parser, validation, the operation limits and query planning.
 *
 * Database: TEST_DATABASE_URL (a fresh database on that server), otherwise embedded PGlite.
 * Redis: TEST_REDIS_URL (its own logical database), otherwise in-memory counters.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensurePgliteTemplate, testDatabaseServer } from '@pc/testing';
import { formatReport } from './classify';
import { runFuzz, startFuzzSystem } from './run';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '20261130' },
      concurrency: { type: 'string', default: '8' },
      examples: { type: 'string', default: '20' },
      only: { type: 'string' },
      json: { type: 'string' },
      strict: { type: 'boolean', default: false },
      'free-form': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      'npm run fuzz -- [--count 10000] [--seed 20261130] [--concurrency 8] [--examples 20] [--only 12,345] [--json report.json] [--strict] [--free-form]',
    );
    return 0;
  }
  const count = Number(values.count);
  const seed = Number(values.seed);
  if (!Number.isInteger(count) || count < 1 || !Number.isFinite(seed)) throw new Error('--count must be a positive integer and --seed a number');
  if (!testDatabaseServer()) await ensurePgliteTemplate();
  console.log(
    `starting a production-mode system (${testDatabaseServer() ? 'PostgreSQL at TEST_DATABASE_URL' : 'embedded PGlite'}, ${process.env.TEST_REDIS_URL ? 'Redis at TEST_REDIS_URL' : 'in-memory counters'})…`,
  );
  if (values['free-form'])
    console.log(
      '--free-form: first-party callers may send free-form documents (not a production setting: parser, validation and limits behind the list guard)',
    );
  const sys = await startFuzzSystem({ freeForm: values['free-form'] });
  try {
    console.log(`sending ${values.only ? values.only : count} hostile requests, seed ${seed}, concurrency ${values.concurrency}…`);
    const report = await runFuzz(sys, {
      count,
      seed,
      concurrency: Number(values.concurrency),
      examples: Number(values.examples),
      only: values.only ? values.only.split(',').map(Number) : undefined,
      progress: (line) => console.log(line),
    });
    console.log(formatReport(report));
    if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
    const violations = Object.values(report.violations).reduce((a, b) => a + b, 0);
    // --strict: an INTERNAL_SERVER_ERROR under 500 (an unexpected error reached by hostile input) fails too.
    const strict = values.strict ? report.notes['internal-error-code'] : 0;
    return violations === 0 && strict === 0 && report.healthyAfter ? 0 : 1;
  } finally {
    await sys.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
