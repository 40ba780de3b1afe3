/**
 * Test-only subgraphs for the differential test (gateway/test/differential.e2e.test.ts): four
 * small federated schemas built with `buildSubgraphSchema`, in-memory data, served by Apollo
 * Server over real HTTP on free ports. Between them they use `@key` (single, compound with a
 * nested field, several keys on one type), `@requires`/`@external`, `@provides`, entity
 * interfaces with `@interfaceObject`, a value interface and a union whose members live in other
 * subgraphs, `@shareable` fields and value types, nested lists of entities, and fields that
 * resolve to null or throw (coded errors with extra extensions, uncoded errors, non-null
 * violations in root and `_entities` fetches).
 *
 * Each subgraph accepts a request without a caller token (vanilla @apollo/gateway sends none)
 * and verifies one that is present with @pc/auth's `verifyCallerToken` for its own audience
 * (401 if it is invalid), recording what it saw so the test can check that our gateway signed
 * a valid token for every fetch.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { CALLER_TOKEN_HEADER, subgraphAudience, verifyCallerToken } from '@pc/auth';

const FED = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@interfaceObject"])`;

// ---------------------------------------------------------------- data

interface UserRow {
  id: string;
  email: string;
  username: string;
  first: string;
  last: string;
  nickname: string | null;
  mustHave: string | null;
}
const USERS: UserRow[] = [
  { id: 'u1', email: 'ada@example.test', username: 'ada', first: 'Ada', last: 'Lovelace', nickname: 'countess', mustHave: 'yes' },
  { id: 'u2', email: 'alan@example.test', username: 'alan', first: 'Alan', last: 'Turing', nickname: null, mustHave: 'yes' },
  // mustHave: null → "Cannot return null for non-nullable field User.mustHave."
  { id: 'u3', email: 'grace@example.test', username: 'grace', first: 'Grace', last: 'Hopper', nickname: null, mustHave: null },
];

interface ProductRow {
  upc: string;
  sku: string;
  variation: string;
  name: string;
  price: number;
  weight: number;
  size: string;
  inStock: boolean;
}
const PRODUCTS: ProductRow[] = [
  { upc: 'p1', sku: 'TABLE', variation: 'oak', name: 'Table', price: 899, weight: 100, size: 'L', inStock: true },
  { upc: 'p2', sku: 'COUCH', variation: 'grey', name: 'Couch', price: 1299, weight: 1000, size: 'XL', inStock: false },
  { upc: 'p3', sku: 'CHAIR', variation: 'oak', name: 'Chair', price: 54, weight: 50, size: 'M', inStock: true },
  { upc: 'p4', sku: 'LAMP', variation: 'red', name: 'Lamp', price: 20, weight: 3, size: 'S', inStock: true },
];

interface ReviewRow {
  id: string;
  body: string;
  rating: number;
  author: string;
  product: string;
}
const REVIEWS: ReviewRow[] = [
  { id: 'r1', body: 'Love it!', rating: 5, author: 'u1', product: 'p1' },
  { id: 'r2', body: 'Too expensive.', rating: 2, author: 'u1', product: 'p2' },
  { id: 'r3', body: 'Could be better.', rating: 3, author: 'u2', product: 'p3' },
  { id: 'r4', body: 'Prefer something else.', rating: 1, author: 'u3', product: 'p1' },
  { id: 'r5', body: 'Bright.', rating: 4, author: 'u2', product: 'p4' },
];

const ACCOUNTS = [
  { __typename: 'PersonalAccount', id: 'a1', holder: 'Ada Lovelace', birthYear: 1815, reviewer: 'u1' },
  { __typename: 'BusinessAccount', id: 'a2', holder: 'Analytical Engines Ltd', vatNumber: 'UA123', reviewer: 'u2' },
  { __typename: 'PersonalAccount', id: 'a3', holder: 'Grace Hopper', birthYear: 1906, reviewer: 'u3' },
];

const MEDIA = [
  { __typename: 'Book', id: 'b1', title: 'Sketch of the Analytical Engine', pages: 65 },
  { __typename: 'Movie', id: 'm1', title: 'The Imitation Game', minutes: 114 },
  { __typename: 'Book', id: 'b2', title: 'Computing Machinery and Intelligence', pages: 28 },
];

const user = (ref: { id?: string; email?: string }) => USERS.find((u) => (ref.id ? u.id === ref.id : u.email === ref.email)) ?? null;
const productByUpc = (upc: string) => PRODUCTS.find((p) => p.upc === upc) ?? null;
const productByKey = (ref: { upc?: string; sku?: string; variation?: { id: string } }) =>
  PRODUCTS.find((p) => (ref.upc ? p.upc === ref.upc : p.sku === ref.sku && p.variation === ref.variation?.id)) ?? null;
const coded = (message: string, code: string, more: Record<string, unknown> = {}) => new GraphQLError(message, { extensions: { code, ...more } });

// ---------------------------------------------------------------- schemas

/** accounts: users (two keys), entity interface Account, the cross-subgraph union SearchResult. */
const accounts = {
  typeDefs: `${FED}
    type Query {
      me: User
      user(id: ID!): User
      users: [User!]!
      userByEmail(email: String!): User
      accounts: [Account!]!
      account(id: ID!): Account
      search(text: String!): [SearchResult!]!
    }
    type Mutation {
      "idempotent (the differential test sends each operation to several gateways)"
      setNickname(id: ID!, nickname: String): User
    }
    type User @key(fields: "id") @key(fields: "email") {
      id: ID!
      email: String!
      "shareable: reviews provides it"
      username: String! @shareable
      name: Name
      nickname: String
      "throws FORBIDDEN with an extra extension"
      secret: String
      "null for u3: a non-null violation that nulls the User"
      mustHave: String!
    }
    type Name @shareable { first: String! last: String! }
    interface Account @key(fields: "id") { id: ID! holder: String! }
    type PersonalAccount implements Account @key(fields: "id") { id: ID! holder: String! birthYear: Int }
    type BusinessAccount implements Account @key(fields: "id") { id: ID! holder: String! vatNumber: String }
    type Product @key(fields: "upc", resolvable: false) { upc: ID! }
    union SearchResult = User | Product
  `,
  resolvers: {
    Query: {
      me: () => USERS[0],
      user: (_: unknown, { id }: { id: string }) => user({ id }),
      users: () => USERS,
      userByEmail: (_: unknown, { email }: { email: string }) => user({ email }),
      accounts: () => ACCOUNTS,
      account: (_: unknown, { id }: { id: string }) => ACCOUNTS.find((a) => a.id === id) ?? null,
      search: (_: unknown, { text }: { text: string }) => [
        ...USERS.filter((u) => u.username.includes(text)).map((u) => ({ __typename: 'User', ...u })),
        ...PRODUCTS.filter((p) => p.name.toLowerCase().includes(text)).map((p) => ({ __typename: 'Product', upc: p.upc })),
      ],
    },
    Mutation: {
      setNickname: (_: unknown, { id, nickname }: { id: string; nickname: string | null }) => {
        const u = user({ id });
        if (u?.id === 'u3') throw coded('Grace keeps her nickname.', 'FORBIDDEN');
        if (u) u.nickname = nickname;
        return u;
      },
    },
    User: {
      __resolveReference: (ref: { id?: string; email?: string }) => user(ref),
      name: (u: UserRow) => ({ first: u.first, last: u.last }),
      secret: () => {
        throw coded('The secret is not yours (see https://policy.example.test/secrets or 10.1.2.3:8443).', 'FORBIDDEN', { reason: 'policy' });
      },
    },
    Account: {
      __resolveReference: (ref: { id: string }) => ACCOUNTS.find((a) => a.id === ref.id) ?? null,
      __resolveType: (a: { __typename: string }) => a.__typename,
    },
    PersonalAccount: { __resolveReference: (ref: { id: string }) => ACCOUNTS.find((a) => a.id === ref.id) ?? null },
    BusinessAccount: { __resolveReference: (ref: { id: string }) => ACCOUNTS.find((a) => a.id === ref.id) ?? null },
    SearchResult: { __resolveType: (r: { __typename: string }) => r.__typename },
  },
};

/** products: Product with two keys (one compound with a nested field), a value interface Media of entities, nested lists. */
const products = {
  typeDefs: `${FED}
    type Query {
      topProducts(first: Int = 5): [Product]
      product(upc: ID!): Product
      productGrid: [[Product!]]
      "every product \`repeat\` times: large responses and _entities batches"
      catalogue(repeat: Int!): [Product!]!
      media: [Media!]!
      failingRoot: String
      failingRootNonNull: String!
    }
    type Product @key(fields: "upc") @key(fields: "sku variation { id }") {
      upc: ID!
      sku: String!
      variation: Variation!
      name: String @shareable
      price: Int
      weight: Int
      dimensions: Dimensions @shareable
      "throws (no code) for p3: a non-null error that nulls the Product"
      label: String!
      "multi-byte UTF-8 (Cyrillic, emoji), split across response chunks in large lists"
      description: String
    }
    type Variation @shareable { id: ID! }
    type Dimensions @shareable { size: String! }
    interface Media { id: ID! title: String! }
    type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int }
    type Movie implements Media @key(fields: "id") { id: ID! title: String! minutes: Int }
  `,
  resolvers: {
    Query: {
      topProducts: (_: unknown, { first }: { first: number }) => [...PRODUCTS.slice(0, first)],
      product: (_: unknown, { upc }: { upc: string }) => productByUpc(upc),
      productGrid: () => [[PRODUCTS[0], PRODUCTS[1]], [], [PRODUCTS[2], PRODUCTS[3], PRODUCTS[0]]],
      catalogue: (_: unknown, { repeat }: { repeat: number }) => Array.from({ length: Math.min(repeat, 500) }, () => PRODUCTS).flat(),
      media: () => MEDIA,
      failingRoot: () => {
        throw coded('Root field failed on purpose.', 'TEAPOT', { detail: { retry: false } });
      },
      failingRootNonNull: () => {
        throw coded('Non-null root field failed on purpose.', 'BAD_USER_INPUT');
      },
    },
    Product: {
      __resolveReference: (ref: { upc?: string; sku?: string; variation?: { id: string } }) => productByKey(ref),
      variation: (p: ProductRow) => ({ id: p.variation }),
      dimensions: (p: ProductRow) => ({ size: p.size }),
      description: (p: ProductRow) => `${p.name}: меблі для кабінету лікаря — «${p.sku.toLowerCase()}» ✓ 🪑🛋️ ${'ї'.repeat(p.weight % 97)}`,
      label: (p: ProductRow) => {
        if (p.upc === 'p3') throw new Error('label store is broken for p3');
        return `${p.name} (${p.sku})`;
      },
    },
    Media: { __resolveType: (m: { __typename: string }) => m.__typename },
    Book: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) ?? null },
    Movie: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) ?? null },
  },
};

/** inventory: Product by its compound key only; `@requires` on two `@external` fields; shareable name/dimensions. */
const inventory = {
  typeDefs: `${FED}
    type Product @key(fields: "sku variation { id }") {
      sku: String!
      variation: Variation!
      price: Int @external
      weight: Int @external
      inStock: Boolean!
      shippingEstimate: Int @requires(fields: "price weight")
      name: String @shareable
      dimensions: Dimensions @shareable
      "throws an uncoded error for COUCH; nullable"
      warehouse: String
    }
    type Variation @shareable { id: ID! }
    type Dimensions @shareable { size: String! }
  `,
  resolvers: {
    Product: {
      __resolveReference: (ref: { sku: string; variation: { id: string }; price?: number; weight?: number }) => {
        const p = productByKey(ref);
        return p ? { ...p, price: ref.price, weight: ref.weight } : null;
      },
      variation: (p: ProductRow) => ({ id: p.variation }),
      dimensions: (p: ProductRow) => ({ size: p.size }),
      // Free over 1000, otherwise weight-based; only correct if price and weight arrived from products.
      shippingEstimate: (p: { price?: number; weight?: number }) => {
        if (p.price === undefined || p.weight === undefined) throw new Error('@requires fields missing');
        return p.price > 1000 ? 0 : Math.round(p.weight * 0.5);
      },
      warehouse: (p: ProductRow) => {
        if (p.sku === 'COUCH') throw new Error('warehouse lookup timed out');
        return `WH-${p.sku}`;
      },
    },
  },
};

/** reviews: `@provides` of User.username, entity fields on User/Product/Book, `@interfaceObject` Account. */
const reviews = {
  typeDefs: `${FED}
    type Query {
      reviews: [Review!]!
      latestReview: Review
      review(id: ID!): Review
    }
    type Mutation {
      "idempotent; reads back what the previous mutation field of the same operation wrote"
      setRating(id: ID!, rating: Int!): Review
    }
    type Review @key(fields: "id") {
      id: ID!
      body: String!
      rating: Int!
      author: User @provides(fields: "username")
      product: Product
      "throws for r4: nulls the Review, which is non-null in lists"
      strict: String!
      "resolves null everywhere"
      editorNote: String
    }
    type User @key(fields: "id") {
      id: ID!
      username: String! @external
      reviews: [Review!]!
      "throws NOT_FOUND for u3: a non-null error inside an _entities fetch"
      reviewCount: Int!
    }
    type Product @key(fields: "upc") {
      upc: ID!
      reviews: [Review!]!
      averageRating: Float
    }
    type Account @key(fields: "id") @interfaceObject {
      id: ID!
      reviewer: User
      reviewScore: Int
    }
    type Book @key(fields: "id") { id: ID! reviewedBy: [User!]! }
  `,
  resolvers: {
    Query: {
      reviews: () => REVIEWS,
      latestReview: () => REVIEWS[REVIEWS.length - 1],
      review: (_: unknown, { id }: { id: string }) => REVIEWS.find((r) => r.id === id) ?? null,
    },
    Mutation: {
      setRating: (_: unknown, { id, rating }: { id: string; rating: number }) => {
        const r = REVIEWS.find((x) => x.id === id);
        if (!r) return null;
        if (rating < 1 || rating > 5) throw coded('A rating is 1 to 5.', 'BAD_USER_INPUT', { field: 'rating' });
        r.rating = rating;
        return r;
      },
    },
    Review: {
      __resolveReference: (ref: { id: string }) => REVIEWS.find((r) => r.id === ref.id) ?? null,
      // Provided username: what reviews knows (the same as accounts').
      author: (r: ReviewRow) => ({ id: r.author, username: user({ id: r.author })?.username }),
      product: (r: ReviewRow) => ({ upc: r.product }),
      strict: (r: ReviewRow) => {
        if (r.id === 'r4') throw coded('Review r4 is under moderation.', 'FORBIDDEN');
        return `${r.rating}/5`;
      },
      editorNote: () => null,
    },
    User: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
      reviews: (u: { id: string }) => REVIEWS.filter((r) => r.author === u.id),
      reviewCount: (u: { id: string }) => {
        if (u.id === 'u3') throw coded('No review statistics for this user.', 'NOT_FOUND', { userId: u.id });
        return REVIEWS.filter((r) => r.author === u.id).length;
      },
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
      reviews: (p: { upc: string }) => REVIEWS.filter((r) => r.product === p.upc),
      averageRating: (p: { upc: string }) => {
        const rs = REVIEWS.filter((r) => r.product === p.upc);
        return rs.length ? rs.reduce((s, r) => s + r.rating, 0) / rs.length : null;
      },
    },
    Account: {
      __resolveReference: (ref: { id: string }) => ACCOUNTS.find((a) => a.id === ref.id) ?? null,
      reviewer: (a: { reviewer: string }) => ({ id: a.reviewer }),
      reviewScore: (a: { reviewer: string }) => REVIEWS.filter((r) => r.author === a.reviewer).reduce((s, r) => s + r.rating, 0),
    },
    Book: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
      reviewedBy: (b: { id: string }) => (b.id === 'b1' ? [{ id: 'u1' }, { id: 'u3' }] : []),
    },
  },
};

export const SUBGRAPH_DEFINITIONS = { accounts, products, inventory, reviews } as const;
export type SubgraphName = keyof typeof SUBGRAPH_DEFINITIONS;

/** What a subgraph saw of the caller token on one request. */
export type TokenSeen = 'none' | 'valid' | 'invalid';
interface SubgraphContext {
  token: TokenSeen;
}

/** One test subgraph on a free port. */
export interface TestSubgraph {
  name: SubgraphName;
  url: string;
  typeDefs: string;
  /** Caller tokens seen, one entry per request. */
  tokens: TokenSeen[];
  /** Operations in each batched HTTP request (a JSON array body) received, in order. */
  batches: number[];
  stop(): Promise<void>;
}

/** Starts one subgraph: caller tokens verified with `secret` when present, 401 when invalid. */
export async function startTestSubgraph(
  name: SubgraphName,
  secret: string,
  opts: { /** Serve an older schema (a deploy out of step with the supergraph). */ withoutField?: [type: string, field: string] } = {},
): Promise<TestSubgraph> {
  const def = SUBGRAPH_DEFINITIONS[name];
  let typeDefs = def.typeDefs;
  let resolvers = def.resolvers as Record<string, Record<string, unknown>>;
  if (opts.withoutField) {
    const [type, field] = opts.withoutField;
    typeDefs = typeDefs.replace(new RegExp(`\\n\\s*${field}:[^\\n]*`), '');
    const { [field]: _dropped, ...kept } = resolvers[type] ?? {};
    resolvers = { ...resolvers, [type]: kept };
  }
  const server = new ApolloServer<SubgraphContext>({
    schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }),
    includeStacktraceInErrorResponses: false,
  });
  const tokens: TokenSeen[] = [];
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }): Promise<SubgraphContext> => {
      const raw = req.headers[CALLER_TOKEN_HEADER];
      const token = Array.isArray(raw) ? raw[0] : raw;
      if (!token) {
        tokens.push('none');
        return { token: 'none' };
      }
      try {
        await verifyCallerToken(token, { secret, audience: subgraphAudience(name) });
      } catch {
        tokens.push('invalid');
        throw new GraphQLError('invalid caller token', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      }
      tokens.push('valid');
      return { token: 'valid' };
    },
  });
  const batches: number[] = [];
  const front = await batchingFront(new URL(url.replace('localhost', '127.0.0.1')), batches);
  return {
    name,
    url: front.url,
    typeDefs,
    tokens,
    batches,
    stop: async () => {
      await front.stop();
      await server.stop();
    },
  };
}

/**
 * Our subgraphs' batched HTTP format (`@pc/server`: a JSON array of operations in, the array of
 * their results out, each operation's own status in `x-batch-status`) in front of an Apollo
 * Server test subgraph: an array body is answered by sending each operation on its own (same
 * headers) and joining the answers; anything else is passed through. Vanilla never batches.
 */
async function batchingFront(inner: URL, batches: number[]): Promise<{ url: string; stop(): Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true });
  const forward = (req: http.IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const headers = { ...req.headers, host: inner.host, 'content-length': String(body.length) };
      const out = http.request(inner, { method: req.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(req.method === 'GET' ? undefined : body);
    });
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let ops: unknown;
      try {
        ops = req.method === 'POST' ? JSON.parse(body.toString('utf8')) : undefined;
      } catch {
        ops = undefined;
      }
      const answer = Array.isArray(ops)
        ? Promise.all(ops.map((op) => forward(req, Buffer.from(JSON.stringify(op))))).then((parts) => {
            batches.push(parts.length);
            const text = `[${parts.map((p) => p.text.trimEnd()).join(',')}]`;
            res.writeHead(parts.find((p) => p.status !== 200)?.status ?? 200, {
              'content-type': 'application/json; charset=utf-8',
              'x-batch-status': parts.map((p) => p.status).join(','),
            });
            res.end(text);
          })
        : forward(req, body).then((r) => {
            res.writeHead(r.status, r.headers['content-type'] ? { 'content-type': r.headers['content-type'] } : {});
            res.end(r.text);
          });
      answer.catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${inner.pathname}`,
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then closed): connection refused. */
export async function deadUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}

/** How a broken endpoint answers: a proxy's 502 HTML page, a 200 HTML page, a connection reset, or a 308 redirect. */
export type Broken = { kind: 'html502' } | { kind: 'html200' } | { kind: 'reset' } | { kind: 'redirect'; to: string };

/** An endpoint standing in for a subgraph that does not answer GraphQL (see {@link Broken}). */
export async function startBroken(broken: Broken): Promise<{ url: string; stop(): Promise<void> }> {
  const s = http.createServer((req, res) => {
    if (broken.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    req.resume();
    req.on('end', () => {
      if (broken.kind === 'redirect') res.writeHead(308, { location: broken.to }).end();
      else res.writeHead(broken.kind === 'html502' ? 502 : 200, { 'content-type': 'text/html' }).end('<html><body><h1>Bad Gateway</h1></body></html>');
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () =>
      new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  };
}
