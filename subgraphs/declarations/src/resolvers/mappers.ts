import type { Declaration } from '../entities/Declaration';
import type { DeclarationRequest } from '../entities/DeclarationRequest';

/*
 * What the resolvers of each GraphQL type really hold (codegen.ts maps type X to XMapper here):
 * the parent of X's field resolvers and what a resolver returning X may return.
 */

export type DeclarationMapper = Declaration;
export type DeclarationRequestMapper = DeclarationRequest;
/** Only the key: the person's record is identity's. */
export interface PersonMapper {
  id: string;
}
/** The reference the gateway sends: the key, plus declarationLimit from the directory for acceptingNewPatients (@requires). */
export interface DoctorMapper {
  id: string;
  declarationLimit?: number | null;
}
/** Only the key: the division is the directory's. */
export interface DivisionMapper {
  id: string;
}
