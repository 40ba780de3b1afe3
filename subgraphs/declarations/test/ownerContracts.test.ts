import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, validate } from 'graphql';
import { DIRECTORY_QUERY, PERSON_QUERY } from '../src/clients/OwnerReader';
import { RECORD_COUNTS_MUTATION } from '../src/jobs/OutboxRelay';

// The operations this subgraph sends to the owners, validated against the owners' own
// schema.graphql: a renamed or retyped field fails here, not in production.
const schemaOf = (name: string) => buildSubgraphSchema({ typeDefs: parse(readFileSync(join(__dirname, '..', '..', name, 'schema.graphql'), 'utf8')) });

describe('declarations: operations sent to the owner subgraphs', () => {
  it.each([
    ['identity', 'PERSON_QUERY', PERSON_QUERY],
    ['directory', 'DIRECTORY_QUERY', DIRECTORY_QUERY],
    ['directory', 'RECORD_COUNTS_MUTATION', RECORD_COUNTS_MUTATION],
  ])('%s accepts %s', (owner, _name, operation) => {
    expect(validate(schemaOf(owner), parse(operation)).map((e) => e.message)).toEqual([]);
  });
});
