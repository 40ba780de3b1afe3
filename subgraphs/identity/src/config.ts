import { num, parseConfig, port, str } from '@pc/config';
import { subgraphSpec, type SubgraphProcessConfig } from '@pc/server';
import type { CapacityRules } from './domain/capabilities';

/** The identity subgraph's settings: the common ones plus the legal-capacity rules. */
export interface IdentityConfig extends SubgraphProcessConfig {
  /** Age from which a person may use the cabinet alone (view their data); domain.md *config* 14. */
  CABINET_MIN_AGE: number;
  /** Age of full legal capacity (act without a capacity document); domain.md *config* 18. */
  FULL_CAPACITY_AGE: number;
  /** IANA time zone whose calendar date counts as "today" for ages and document dates. */
  CABINET_TIME_ZONE: string;
}

/** Parses the identity subgraph's environment once at start. */
export const loadConfig = (): IdentityConfig =>
  parseConfig({
    ...subgraphSpec,
    PORT: port({ default: 4001 }),
    CABINET_MIN_AGE: num({ default: 14 }),
    FULL_CAPACITY_AGE: num({ default: 18 }),
    CABINET_TIME_ZONE: str({ default: 'Europe/Kyiv' }),
  });

/**
 * The capacity rules from a parsed config. The test harness passes only the common settings,
 * so a missing value falls back to the documented default instead of `undefined`.
 */
export function capacityRulesFrom(config: Partial<IdentityConfig>): CapacityRules {
  const rules = {
    minAge: config.CABINET_MIN_AGE ?? 14,
    fullCapacityAge: config.FULL_CAPACITY_AGE ?? 18,
    timeZone: config.CABINET_TIME_ZONE ?? 'Europe/Kyiv',
  };
  if (!(rules.minAge <= rules.fullCapacityAge)) {
    throw new RangeError(`CABINET_MIN_AGE (${rules.minAge}) must not exceed FULL_CAPACITY_AGE (${rules.fullCapacityAge})`);
  }
  return rules;
}
