import { parseConfig, port } from '@pc/config';
import { subgraphSpec, type SubgraphProcessConfig } from '@pc/server';

/** Parses the access subgraph's environment once at start. */
export const loadConfig = (): SubgraphProcessConfig => parseConfig({ ...subgraphSpec, PORT: port({ default: 4004 }) });
