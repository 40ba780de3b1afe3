import { num, str, url } from '@pc/config';
import { subgraphSettings, type SubgraphConfig } from '@pc/server';

/** The records subgraph's settings, declared once (docs/records.md). */
export const recordsSettings = subgraphSettings(4006, {
  /** The identity subgraph (whether the person exists). */
  IDENTITY_URL: url({ default: 'http://127.0.0.1:4001/graphql' }),
  /** The directory subgraph (the author doctor, their legal entity and division). */
  DIRECTORY_URL: url({ default: 'http://127.0.0.1:4003/graphql' }),
  /** How long a read from an owner subgraph may take before the mutation fails with DEPENDENCY_UNAVAILABLE. */
  OWNER_TIMEOUT_MS: num({ default: 3000 }),
  /** The calendar of "not in the future" for visit dates (eHealth is a Ukrainian system). */
  TIME_ZONE: str({ default: 'Europe/Kyiv' }),
});

/** The records subgraph's parsed settings. */
export type RecordsConfig = SubgraphConfig<typeof recordsSettings>;
