import { subgraphSettings, type SubgraphConfig } from '@pc/server';

/** The access subgraph's settings, declared once: only the common ones. */
export const accessSettings = subgraphSettings(4004, {});

/** The access subgraph's parsed settings. */
export type AccessConfig = SubgraphConfig<typeof accessSettings>;
