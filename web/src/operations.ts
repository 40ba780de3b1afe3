/**
 * The app's GraphQL operations ARE the state cabinet's persisted-query list: the documents of
 * schema/operations/state/*.graphql, from which `npm run persisted-queries` generates
 * schema/persisted-queries/state.json with @apollo/generate-persisted-query-manifest (a test fails
 * when that manifest is stale). A screen can only use an operation that is on the list.
 */
import type { DocumentNode } from '@apollo/client';
import { gql } from '@apollo/client';

const sources = import.meta.glob('../../schema/operations/state/*.graphql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

const documents = new Map<string, DocumentNode>(
  Object.entries(sources).map(([path, source]) => [path.replace(/^.*\/([A-Za-z0-9]+)\.graphql$/, '$1'), gql(source)]),
);

/** The listed operations the screens use. */
export type OperationName =
  | 'CabinetHome'
  | 'PersonalData'
  | 'UpdateContacts'
  | 'ChangeHistory'
  | 'MyDeclarations'
  | 'MyDeclarationRequests'
  | 'CancelDeclarationRequest'
  | 'TerminateDeclaration'
  | 'FindDoctor'
  | 'SubmitDeclarationRequest'
  | 'AccessGrants'
  | 'RevokeAccessGrant'
  | 'AccessLog';

/** The document of a listed operation. */
export function op(name: OperationName): DocumentNode {
  const doc = documents.get(name);
  if (!doc) throw new Error(`operation ${name} is not on the state cabinet's list (schema/operations/state)`);
  return doc;
}
