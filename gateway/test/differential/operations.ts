/**
 * Hand-written operations of the differential test, each aimed at one federation feature of the
 * test subgraphs (gateway/test/differential/subgraphs.ts). `covers` says which.
 */
export interface DiffOperation {
  name: string;
  covers: string[];
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export const OPERATIONS: DiffOperation[] = [
  // ---- @key
  { name: 'single key: reviews → accounts by id', covers: ['@key'], query: '{ reviews { id author { id name { first last } nickname } } }' },
  {
    name: 'second key of User (email) as entry point, then entity fields by id',
    covers: ['@key multiple'],
    query: 'query($e: String!) { userByEmail(email: $e) { id username reviewCount reviews { id rating } } }',
    variables: { e: 'alan@example.test' },
  },
  {
    name: 'compound key with nested field: products → inventory by sku variation { id }',
    covers: ['@key compound', '@key multiple'],
    query: '{ topProducts { upc sku variation { id } inStock warehouse } }',
  },
  {
    name: 'reviews → products by upc → inventory by compound key',
    covers: ['@key compound', '@key multiple', 'nested lists'],
    query: '{ reviews { id product { upc name price inStock } } }',
  },
  // ---- @requires / @external
  { name: '@requires price weight', covers: ['@requires', '@external'], query: '{ topProducts(first: 4) { upc shippingEstimate } }' },
  {
    name: '@requires through an entity reached from reviews',
    covers: ['@requires', '@external', '@key compound'],
    query: '{ latestReview { product { name shippingEstimate } } }',
  },
  // ---- @provides
  { name: '@provides username (no accounts fetch)', covers: ['@provides', '@external'], query: '{ reviews { author { username } } }' },
  {
    name: '@provides username plus a non-provided field',
    covers: ['@provides', '@external', '@key'],
    query: '{ reviews { author { username email } } }',
  },
  // ---- interfaces and unions across subgraphs
  {
    name: 'value interface of entities, fields from another subgraph',
    covers: ['interfaces', 'fragments', '__typename'],
    query: '{ media { __typename id title ... on Book { pages reviewedBy { username } } ... on Movie { minutes } } }',
  },
  {
    name: 'union whose members resolve in other subgraphs',
    covers: ['unions', 'fragments', '__typename'],
    query: 'query($t: String!) { search(text: $t) { __typename ... on User { id username reviewCount } ... on Product { upc name inStock averageRating } } }',
    variables: { t: 'a' },
  },
  { name: 'union, __typename only', covers: ['unions', '__typename'], query: '{ search(text: "l") { __typename } }' },
  // ---- @interfaceObject
  {
    name: '@interfaceObject field on an entity interface',
    covers: ['@interfaceObject', 'interfaces', '__typename'],
    query: '{ accounts { __typename id holder reviewScore reviewer { username } } }',
  },
  {
    name: '@interfaceObject with type-specific fragments',
    covers: ['@interfaceObject', 'interfaces', 'fragments'],
    query: '{ accounts { id reviewScore ... on PersonalAccount { birthYear } ... on BusinessAccount { vatNumber } } }',
  },
  {
    name: '@interfaceObject: single account by id',
    covers: ['@interfaceObject', 'variables'],
    query: 'query($id: ID!) { account(id: $id) { __typename holder reviewer { id reviewCount } } }',
    variables: { id: 'a2' },
  },
  // ---- @shareable
  { name: 'shareable field and value type', covers: ['@shareable'], query: '{ topProducts(first: 2) { name dimensions { size } } }' },
  {
    name: 'shareable field via inventory-only path',
    covers: ['@shareable', '@key compound'],
    query: '{ productGrid { name inStock dimensions { size } } }',
  },
  // ---- nested lists of entities
  {
    name: 'list of lists of entities across subgraphs',
    covers: ['nested lists', '@key compound', '@requires'],
    query: '{ productGrid { upc inStock shippingEstimate reviews { rating author { username mustHave } } } }',
  },
  {
    name: 'deeply nested entity lists',
    covers: ['nested lists', '@key', '@provides'],
    query: '{ users { id reviews { id product { upc reviews { id author { id username } } } } } }',
  },
  {
    name: 'large response: 400 products with multi-byte text, batched entity fetches',
    covers: ['nested lists', '@key compound', '@requires', 'large bodies'],
    query: '{ catalogue(repeat: 100) { upc description inStock shippingEstimate reviews { body author { username } } } }',
  },
  // ---- nulls and errors
  { name: 'nullable field resolving to null', covers: ['nulls'], query: '{ users { id nickname } reviews { id editorNote } }' },
  {
    name: 'coded subgraph error with extra extensions (nullable field)',
    covers: ['errors', 'extensions.code'],
    query: '{ me { id secret } }',
  },
  {
    name: 'coded error in an entity fetch (nullable field, list)',
    covers: ['errors', 'extensions.code', 'nested lists'],
    query: '{ reviews { id author { id secret } } }',
  },
  {
    name: 'non-null field null in root fetch: nulls the User in a non-null list → data.users null',
    covers: ['nulls', 'error propagation'],
    query: '{ users { id mustHave } }',
  },
  {
    name: 'non-null violation inside an entity fetch propagates to the nullable author',
    covers: ['nulls', 'error propagation', '@key'],
    query: '{ reviews { id author { id mustHave } } }',
  },
  {
    name: 'non-null entity field throws a coded error in _entities',
    covers: ['errors', 'error propagation', 'extensions.code'],
    query: '{ users { id username reviewCount } }',
  },
  {
    name: 'non-null entity field throws, parent nullable (single)',
    covers: ['errors', 'error propagation'],
    query: '{ user(id: "u3") { id reviewCount } }',
  },
  {
    name: 'uncoded error on a non-null field nulls the product in a nullable list',
    covers: ['errors', 'error propagation', 'nulls'],
    query: '{ topProducts { upc label } }',
  },
  {
    name: 'uncoded error on a nullable field in an entity fetch',
    covers: ['errors', '@key compound'],
    query: '{ topProducts { upc warehouse } }',
  },
  {
    name: 'non-null error inside [Review!]! nulls up to the nearest nullable parent',
    covers: ['errors', 'error propagation', 'nested lists'],
    query: '{ topProducts { upc reviews { id strict } } }',
  },
  {
    name: 'non-null error in a root non-null list → data null',
    covers: ['errors', 'error propagation'],
    query: '{ reviews { id strict } }',
  },
  { name: 'nullable root field throws with a custom code', covers: ['errors', 'extensions.code'], query: '{ failingRoot topProducts(first: 1) { upc } }' },
  {
    name: 'non-null root field throws → data null',
    covers: ['errors', 'error propagation', 'extensions.code'],
    query: '{ failingRootNonNull me { id } }',
  },
  { name: 'entity not found → null', covers: ['nulls', 'variables'], query: 'query($u: ID!) { product(upc: $u) { upc name } }', variables: { u: 'nope' } },
  {
    name: 'entity reference that no longer exists (product of a review resolved by key, absent)',
    covers: ['nulls', '@key'],
    query: '{ review(id: "r9") { id product { upc } } }',
  },
  // ---- mutations: root fields in sequence, across subgraphs (idempotent: every gateway runs them)
  {
    name: 'mutations across two subgraphs in sequence, each result completed from other subgraphs',
    covers: ['mutations', '@key', 'aliases'],
    query:
      'mutation($n: String) { first: setNickname(id: "u2", nickname: $n) { id nickname reviewCount } rate: setRating(id: "r3", rating: 4) { id rating author { nickname } product { name inStock } } again: setNickname(id: "u2", nickname: "turing") { nickname } }',
    variables: { n: 'prof' },
  },
  {
    name: 'mutation errors: coded error, then the next root field still runs',
    covers: ['mutations', 'errors', 'extensions.code'],
    query: 'mutation { a: setNickname(id: "u3", nickname: "x") { id } b: setRating(id: "r1", rating: 9) { id } c: setRating(id: "r1", rating: 5) { rating } }',
  },
  // ---- operation shape: aliases, fragments, variables, directives, __typename
  // ---- two fetches to one subgraph in the same plan stage: ours sends them as one batched HTTP call
  {
    name: 'two entity fetches to accounts in one parallel stage (batched by ours)',
    covers: ['batching', '@key'],
    query: '{ latestReview { id author { nickname } } review(id: "r1") { id author { email name { first } } } }',
  },
  {
    name: 'batched entity fetches, each with its own error (non-null violation; coded error)',
    covers: ['batching', 'errors', 'error propagation'],
    query: '{ review(id: "r4") { id author { mustHave } } latestReview { id author { secret } } }',
  },
  {
    name: 'aliases on root and entity fields',
    covers: ['aliases', '@key'],
    query: '{ a: product(upc: "p1") { id: upc title: name stock: inStock } b: product(upc: "p2") { id: upc title: name cost: price ship: shippingEstimate } }',
  },
  {
    name: 'same field under two aliases with different sub-selections',
    covers: ['aliases', '@provides'],
    query: '{ r1: review(id: "r1") { author { username } } r2: review(id: "r1") { author { email username } } }',
  },
  {
    name: 'named fragments across subgraphs',
    covers: ['fragments', '@key compound'],
    query:
      'query Frag { topProducts { ...P } me { ...U } } fragment P on Product { upc ...Stock reviews { ...R } } fragment Stock on Product { inStock shippingEstimate } fragment R on Review { rating author { ...U } } fragment U on User { id username }',
    operationName: 'Frag',
  },
  {
    name: 'several operations, one chosen by operationName',
    covers: ['operationName'],
    query: 'query A { me { id } } query B { users { username } }',
    operationName: 'B',
  },
  {
    name: '@skip and @include with variables',
    covers: ['@skip/@include', 'variables'],
    query:
      'query($withStock: Boolean!, $skipReviews: Boolean!) { topProducts { upc inStock @include(if: $withStock) reviews @skip(if: $skipReviews) { id } ... @include(if: $withStock) { shippingEstimate } } }',
    variables: { withStock: true, skipReviews: true },
  },
  {
    name: '@skip and @include, the other way',
    covers: ['@skip/@include', 'variables'],
    query:
      'query($withStock: Boolean!, $skipReviews: Boolean!) { topProducts { upc inStock @include(if: $withStock) reviews @skip(if: $skipReviews) { id } ... @include(if: $withStock) { shippingEstimate } } }',
    variables: { withStock: false, skipReviews: false },
  },
  {
    name: 'literal @skip on a whole entity subtree',
    covers: ['@skip/@include'],
    query: '{ reviews { id author @skip(if: true) { username } product @include(if: false) { upc } } }',
  },
  {
    name: '__typename everywhere, including root',
    covers: ['__typename'],
    query: '{ __typename me { __typename reviews { __typename product { __typename dimensions { __typename } } } } }',
  },
  {
    name: 'default argument value and variable with default',
    covers: ['variables'],
    query: 'query($n: Int = 2) { topProducts(first: $n) { upc } all: topProducts { upc } }',
  },
  {
    name: 'variable explicitly null for a nullable argument',
    covers: ['variables', 'nulls'],
    query: 'query($n: Int) { topProducts(first: $n) { upc } }',
    variables: { n: null },
  },
  // ---- client errors (no subgraph reached)
  { name: 'validation error: unknown field', covers: ['validation'], query: '{ me { id nosuchfield } }' },
  { name: 'syntax error', covers: ['validation'], query: '{ me { id ' },
  { name: 'misspelt field: a "Did you mean" hint (dropped in production)', covers: ['validation'], query: '{ me { usernam } }' },
];

/**
 * Variables that do not coerce: vanilla (@apollo/gateway's validateIncomingRequest) and ours
 * (operationInputPlugin, which must run before the limits) both answer 400 BAD_USER_INPUT with
 * graphql-js's message; ours drops `locations` and reports only the first (see the test).
 */
export const BAD_VARIABLE_OPERATIONS: DiffOperation[] = [
  { name: 'missing required variable', covers: ['variables', 'bad input'], query: 'query($id: ID!) { user(id: $id) { id } }', variables: {} },
  { name: 'string for Int', covers: ['variables', 'bad input'], query: 'query($n: Int) { topProducts(first: $n) { upc } }', variables: { n: 'abc' } },
  { name: 'null for ID!', covers: ['variables', 'bad input'], query: 'query($id: ID!) { user(id: $id) { id } }', variables: { id: null } },
  { name: 'float for Int', covers: ['variables', 'bad input'], query: 'query($n: Int) { topProducts(first: $n) { upc } }', variables: { n: 1.5 } },
  {
    name: 'two bad variables',
    covers: ['variables', 'bad input'],
    query: 'query($n: Int, $id: ID!) { topProducts(first: $n) { upc } user(id: $id) { id } }',
    variables: { n: 'x' },
  },
];

/**
 * Operations our gateway answers differently on purpose (see the test): an unknown operation
 * name (vanilla: 500 INVALID_GRAPHQL; ours: 400 BAD_USER_INPUT), an operation over the cost
 * limit (vanilla runs it; ours: 400 COST_LIMIT_EXCEEDED), introspection in production.
 */
export const UNKNOWN_OPERATION_NAME: DiffOperation = {
  name: 'unknown operationName',
  covers: ['operationName'],
  query: 'query A { me { id } }',
  operationName: 'Nope',
};
export const OVER_COST_LIMIT: DiffOperation = {
  name: 'nested lists over the cost limit',
  covers: ['limits'],
  query: '{ users { id reviews { id product { upc reviews { id author { id username name { first } } } } } } }',
};
export const INTROSPECTION: DiffOperation = {
  name: 'introspection of one type',
  covers: ['introspection'],
  query: '{ __type(name: "Account") { kind possibleTypes { name } } }',
};

/** Operations for the failure scenarios (inventory and reviews unavailable). */
export const FAILURE_OPERATIONS: DiffOperation[] = [
  { name: 'root fetch to a down subgraph', covers: ['down'], query: '{ reviews { id } latestReview { id } me { id } }' },
  {
    name: 'two entity fetches to the subgraph behind a 502 page, in one parallel stage (one batched call)',
    covers: ['down', 'batching'],
    query: '{ topProducts(first: 2) { upc reviews { id } } product(upc: "p3") { upc averageRating } }',
  },
  { name: 'entity fetch to a down subgraph (list)', covers: ['down', '@key compound'], query: '{ topProducts { upc name inStock shippingEstimate } }' },
  { name: 'entity fetch to a down subgraph (nested lists)', covers: ['down', 'nested lists'], query: '{ productGrid { upc inStock } }' },
  { name: 'entity fetch with aliases', covers: ['down', 'aliases'], query: '{ product(upc: "p1") { upc stock: inStock rating: averageRating } }' },
  { name: 'interfaceObject field on down subgraph', covers: ['down', '@interfaceObject'], query: '{ accounts { id holder reviewScore } }' },
  { name: 'non-null entity field on down subgraph', covers: ['down', 'error propagation'], query: '{ users { id reviewCount } }' },
];

/** Operations for the second failure scenario (accounts resets connections, products answers 200 HTML). */
export const RESET_OPERATIONS: DiffOperation[] = [
  { name: 'root fetches: connection reset and a 200 HTML page', covers: ['down'], query: '{ me { id } topProducts(first: 1) { upc } reviews { id } }' },
  {
    name: 'two entity fetches to a subgraph that resets connections, in one parallel stage (one batched call)',
    covers: ['down', 'batching'],
    query: '{ latestReview { id author { nickname } } review(id: "r1") { id author { email } } }',
  },
  {
    name: 'entity fetch to a subgraph that resets connections',
    covers: ['down', '@key', '@provides'],
    query: '{ reviews { id author { username email nickname } } }',
  },
  { name: 'entity fetch to a subgraph answering a 200 HTML page', covers: ['down', '@key'], query: '{ reviews { product { upc name price } } }' },
  {
    name: 'root list of a value interface from a subgraph answering HTML',
    covers: ['down', 'interfaces'],
    query: '{ media { id ... on Book { reviewedBy { id } } } }',
  },
];
