/**
 * A seeded sample of the robustness run (the full run is `npm run fuzz`, gateway/test/robustness/):
 * hostile requests generated from the supergraph's API schema and the persisted lists — hostile
 * variables of every listed operation, free-form documents valid and mutated, malformed HTTP and
 * JSON, bad tokens — against a production-mode system. None may get a status of 500 or above, an
 * HTML body, a stack trace, an internal URL or subgraph internals; the gateway must still serve a
 * listed operation afterwards.
 */
import { type RunningSystem } from '@pc/e2e';
import { formatReport, VIOLATIONS } from './robustness/classify';
import { runFuzz, startFuzzSystem } from './robustness/run';

const SAMPLE = 1000;
const SEED = 7;

describe('robustness (production mode, seeded sample)', () => {
  let sys: RunningSystem;
  beforeAll(async () => {
    sys = await startFuzzSystem();
  }, 120_000);
  afterAll(() => sys?.stop());

  it(`answers ${SAMPLE} hostile requests without 5xx, HTML, stack traces or internal URLs`, async () => {
    const report = await runFuzz(sys, { count: SAMPLE, seed: SEED, concurrency: 8 });
    console.log(formatReport(report));
    expect(report.count).toBeGreaterThanOrEqual(1000);
    expect(report.violations).toEqual(Object.fromEntries(Object.keys(VIOLATIONS).map((k) => [k, 0])));
    // Strict, as `npm run fuzz -- --strict`: hostile input never reaches an unexpected error either.
    expect(report.notes['internal-error-code']).toBe(0);
    expect(report.healthyAfter).toBe(true);
  }, 240_000);
});
