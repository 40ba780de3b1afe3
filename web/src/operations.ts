/**
 * The app's GraphQL operations ARE the state cabinet's persisted-query list: GraphQL Code Generator
 * (web/codegen.ts, `npm run codegen:web`) turns the documents of schema/operations/state/*.graphql
 * into typed documents (`CabinetHomeDocument`…, src/generated/graphql.ts), and
 * `npm run persisted-queries` turns the same documents into schema/persisted-queries/state.json
 * with @apollo/generate-persisted-query-manifest. Tests fail when either is stale.
 */
export * from './generated/graphql';
