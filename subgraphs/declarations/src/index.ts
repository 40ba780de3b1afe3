import { runSubgraph } from '@pc/server';
import { loadConfig } from './config';
import { subgraph } from './subgraph';

void runSubgraph(subgraph, loadConfig);
