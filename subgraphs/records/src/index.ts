import { runSubgraph } from '@pc/server';
import { subgraph } from './subgraph';

void runSubgraph(subgraph);
