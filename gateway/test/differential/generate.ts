/**
 * Operations generated from the API schema for the differential test: a seeded walk over the
 * composed API schema that picks root fields (with argument values the test data knows, and
 * some it does not), random sub-selections to a bounded depth, inline fragments on every
 * possible type of interfaces and unions, `__typename`, aliases, `@include`/`@skip` and
 * variables. Deterministic for a seed.
 */
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import type { DiffOperation } from './operations';

/** Values for arguments, by field and argument name (the test data's ids, plus unknown ones). */
const ARGUMENT_VALUES: Record<string, unknown[]> = {
  'user.id': ['u1', 'u2', 'u3', 'u404'],
  'userByEmail.email': ['ada@example.test', 'grace@example.test', 'nobody@example.test'],
  'account.id': ['a1', 'a2', 'a3', 'a404'],
  'review.id': ['r1', 'r3', 'r4', 'r5', 'r404'],
  'product.upc': ['p1', 'p2', 'p3', 'p4', 'p404'],
  'search.text': ['a', 'l', 'ch', 'zz'],
  'topProducts.first': [0, 1, 3, 5],
  'catalogue.repeat': [1, 3, 20],
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Generator {
  private aliases = 0;
  private directives = 0;
  private readonly variables: { name: string; type: string; value: unknown }[] = [];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly random: () => number,
  ) {}

  private chance(p: number): boolean {
    return this.random() < p;
  }
  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
  private some<T>(items: readonly T[], min: number, max: number): T[] {
    const shuffled = [...items].sort(() => this.random() - 0.5);
    return shuffled.slice(0, Math.max(min, Math.min(items.length, min + Math.floor(this.random() * (max - min + 1)))));
  }

  operation(index: number): DiffOperation {
    const query = this.schema.getQueryType()!;
    const roots = Object.values(query.getFields()).filter((f) => !f.name.startsWith('_'));
    const chosen = this.some(roots, 1, 2);
    const body = chosen.map((f) => this.field(f, f.name, 0)).join(' ');
    const header = this.variables.length ? `(${this.variables.map((v) => `$${v.name}: ${v.type}`).join(', ')})` : '';
    const variables = Object.fromEntries(this.variables.map((v) => [v.name, v.value]));
    return { name: `generated #${index}`, covers: ['generated'], query: `query Generated${index}${header} { ${body} }`, variables };
  }

  private field(f: GraphQLField<unknown, unknown>, parentField: string, depth: number): string {
    let head = f.name;
    if (this.aliases < 6 && this.chance(0.15)) head = `al${this.aliases++}: ${f.name}`;
    const args: string[] = [];
    for (const arg of f.args) {
      const values = ARGUMENT_VALUES[`${parentField}.${arg.name}`];
      if (!values) continue;
      if (!isNonNullType(arg.type) && this.chance(0.4)) continue;
      const value = this.pick(values);
      if (this.chance(0.5)) {
        const name = `v${this.variables.length}`;
        this.variables.push({ name, type: String(arg.type), value });
        args.push(`${arg.name}: $${name}`);
      } else args.push(`${arg.name}: ${JSON.stringify(value)}`);
    }
    if (args.length) head += `(${args.join(', ')})`;
    if (this.directives < 6 && this.chance(0.1)) {
      this.directives++;
      head += this.chance(0.5) ? ` @include(if: ${this.chance(0.7)})` : ` @skip(if: ${this.chance(0.3)})`;
    }
    const type = getNamedType(f.type);
    if (isLeafType(type)) return head;
    return `${head} { ${this.selection(type as GraphQLCompositeType, depth + 1)} }`;
  }

  private selection(type: GraphQLCompositeType, depth: number): string {
    const parts: string[] = [];
    if (this.chance(0.25)) parts.push('__typename');
    if (isAbstractType(type)) {
      if (isInterfaceType(type)) parts.push(...this.fields(Object.values(type.getFields()), type.name, depth, 1));
      for (const possible of this.some(this.schema.getPossibleTypes(type), 1, 3)) parts.push(`... on ${possible.name} { ${this.selection(possible, depth)} }`);
      if (parts.length === 0) parts.push('__typename');
      return parts.join(' ');
    }
    if (isObjectType(type)) {
      const fields = this.fields(Object.values(type.getFields()), type.name, depth, 1);
      if (this.chance(0.1)) parts.push(`... on ${type.name} { ${fields.join(' ')} }`);
      else parts.push(...fields);
    }
    return parts.join(' ');
  }

  private fields(all: GraphQLField<unknown, unknown>[], _typeName: string, depth: number, min: number): string[] {
    const usable = all.filter((f) => depth < 3 || isLeafType(getNamedType(f.type)));
    const out = this.some(usable, min, 4).map((f) => this.field(f, f.name, depth));
    return out.length
      ? out
      : [
          this.field(
            all.find((f) => isLeafType(getNamedType(f.type)))!,
            '',
            depth,
          ),
        ];
  }
}

/** `count` operations from `schema`, deterministic for `seed`. */
export function generateOperations(schema: GraphQLSchema, count: number, seed: number): DiffOperation[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => new Generator(schema, random).operation(i + 1));
}
