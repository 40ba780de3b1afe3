import type { Connection } from '@pc/graphql-kit';
import type { ConfidantPerson } from '../domain/personData';
import type { Person } from '../entities/Person';
import type { PersonChangeRow } from '../loaders/createLoaders';

/*
 * What the resolvers of each GraphQL type really hold (codegen.ts maps type X to XMapper here):
 * the parent of X's field resolvers and what a resolver returning X may return.
 */

export type PersonMapper = Person;
/** A stored change row; the API's field names come from PersonChange's resolvers. */
export type PersonChangeMapper = PersonChangeRow;
/** As stored in the person's jsonb column; `active` is derived per request. */
export type ConfidantPersonMapper = ConfidantPerson;
/** Its totalCount is counted only when selected (a function the default resolver calls). */
export type PersonChangeConnectionMapper = Connection<PersonChangeRow> & { totalCount: () => Promise<number> };
