/**
 * `@pc/graphql-kit`: the building blocks every subgraph's API shares — UUID ids, the versioned
 * opaque cursor codec, page sizes and Relay connections. (Who may call: `@pc/auth`; dates:
 * `@pc/calendar`.)
 *
 * @packageDocumentation
 */

export * from './ids';
export * from './cursor';
export * from './pages';
