import { subgraphSettings } from '@pc/server';

/** The access subgraph's settings, declared once: only the common ones. */
export const accessSettings = subgraphSettings(4004, {});
