import { num, str } from '@pc/config';
import { subgraphSettings, type SubgraphConfig } from '@pc/server';
import type { CapacityRules } from './domain/capabilities';

/** The identity subgraph's settings, declared once: the common ones plus the legal-capacity rules. */
export const identitySettings = subgraphSettings(4001, {
  /** Age from which a person may use the cabinet alone (view their data); docs/domain.md *config* 14. */
  CABINET_MIN_AGE: num({ default: 14 }),
  /** Age of full legal capacity (act without a capacity document); docs/domain.md *config* 18. */
  FULL_CAPACITY_AGE: num({ default: 18 }),
  /** IANA time zone whose calendar date counts as "today" for ages and document dates. */
  CABINET_TIME_ZONE: str({ default: 'Europe/Kyiv' }),
});

/** The identity subgraph's parsed settings. */
export type IdentityConfig = SubgraphConfig<typeof identitySettings>;

/** The capacity rules of the parsed settings. */
export function capacityRulesFrom(config: Pick<IdentityConfig, 'CABINET_MIN_AGE' | 'FULL_CAPACITY_AGE' | 'CABINET_TIME_ZONE'>): CapacityRules {
  const rules = { minAge: config.CABINET_MIN_AGE, fullCapacityAge: config.FULL_CAPACITY_AGE, timeZone: config.CABINET_TIME_ZONE };
  if (!(rules.minAge <= rules.fullCapacityAge)) {
    throw new RangeError(`CABINET_MIN_AGE (${rules.minAge}) must not exceed FULL_CAPACITY_AGE (${rules.fullCapacityAge})`);
  }
  return rules;
}
