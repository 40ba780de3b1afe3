import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, valueFromASTUntyped, type ConstDirectiveNode, type DocumentNode } from 'graphql';

/**
 * The authorization and audit rules the domains declare in their `schema.graphql`, as the
 * composed supergraph carries them:
 *
 * - `@requiresScopes(scopes: [[String]])` and `@authenticated` (Federation's, specs
 *   `requiresScopes/v0.1` and `authenticated/v0.1`): which scopes a field or type needs, which
 *   need a signed-in caller. The outer list is OR, each inner list AND (Apollo Router's reading).
 * - `@accessLog(resource, ignore)` and `@issuedTo(roles)` (ours, spec `accessLog/v0.1`, carried
 *   into the supergraph by `@composeDirective`): which access-log resource a type or field is,
 *   and which scopes are issued to a role (doctors) rather than consented to by patients.
 *
 * Read from the supergraph SDL by name as its `@link`s import them (a rename with `as` is
 * followed). Field keys are schema coordinates, `Type.field`.
 */
export interface SupergraphDirectives {
  /** `@requiresScopes` of object/interface types (and scalars, enums), by type name. */
  typeScopes: ReadonlyMap<string, string[][]>;
  /** `@requiresScopes` of fields, by `Type.field`. */
  fieldScopes: ReadonlyMap<string, string[][]>;
  /** Types marked `@authenticated`. */
  authenticatedTypes: ReadonlySet<string>;
  /** Fields marked `@authenticated`, as `Type.field`. */
  authenticatedFields: ReadonlySet<string>;
  /** `@accessLog(resource:)` of types. */
  accessLogTypes: ReadonlyMap<string, string>;
  /** `@accessLog` of fields: the resource, or `null` for `ignore: true`. */
  accessLogFields: ReadonlyMap<string, string | null>;
  /** `@issuedTo(roles:)` of fields. */
  issuedTo: ReadonlyMap<string, string[]>;
}

/** Base URLs (without version) of the specs read here. */
export const REQUIRES_SCOPES_SPEC = 'https://specs.apollo.dev/requiresScopes';
export const AUTHENTICATED_SPEC = 'https://specs.apollo.dev/authenticated';
export const ACCESS_LOG_SPEC = 'https://specs.patient-cabinet.dev/accessLog';

/** The committed supergraph of this checkout. */
export const supergraphPath = join(__dirname, '..', 'supergraph.graphql');

/** Reads the directives from a supergraph SDL (or its parsed document). */
export function supergraphDirectives(sdl: string | DocumentNode): SupergraphDirectives {
  const doc = typeof sdl === 'string' ? parse(sdl, { noLocation: true }) : sdl;
  const names = linkedNames(doc);
  const requiresScopes = names.get(`${REQUIRES_SCOPES_SPEC}#requiresScopes`);
  const authenticated = names.get(`${AUTHENTICATED_SPEC}#authenticated`);
  const accessLog = names.get(`${ACCESS_LOG_SPEC}#accessLog`);
  const issuedTo = names.get(`${ACCESS_LOG_SPEC}#issuedTo`);

  const out = {
    typeScopes: new Map<string, string[][]>(),
    fieldScopes: new Map<string, string[][]>(),
    authenticatedTypes: new Set<string>(),
    authenticatedFields: new Set<string>(),
    accessLogTypes: new Map<string, string>(),
    accessLogFields: new Map<string, string | null>(),
    issuedTo: new Map<string, string[]>(),
  };
  const onType = (type: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    for (const d of directives ?? []) {
      const name = d.name.value;
      if (name === requiresScopes) out.typeScopes.set(type, mergeScopes(out.typeScopes.get(type), scopesArg(d)));
      else if (name === authenticated) out.authenticatedTypes.add(type);
      else if (name === accessLog) {
        const resource = stringArg(d, 'resource');
        if (resource) out.accessLogTypes.set(type, resource);
      }
    }
  };
  const onField = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    for (const d of directives ?? []) {
      const name = d.name.value;
      if (name === requiresScopes) out.fieldScopes.set(coordinate, mergeScopes(out.fieldScopes.get(coordinate), scopesArg(d)));
      else if (name === authenticated) out.authenticatedFields.add(coordinate);
      else if (name === accessLog) {
        if (argValue(d, 'ignore') === true) out.accessLogFields.set(coordinate, null);
        else {
          const resource = stringArg(d, 'resource');
          if (resource) out.accessLogFields.set(coordinate, resource);
        }
      } else if (name === issuedTo) {
        const roles = argValue(d, 'roles');
        if (Array.isArray(roles)) out.issuedTo.set(coordinate, roles.map(String));
      }
    }
  };
  for (const def of doc.definitions) {
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        onType(def.name.value, def.directives);
        for (const f of def.fields ?? []) onField(`${def.name.value}.${f.name.value}`, f.directives);
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.UNION_TYPE_DEFINITION:
        onType(def.name.value, def.directives);
        break;
      default:
    }
  }
  return out;
}

/** The scopes the supergraph knows, and who holds them. */
export interface SupergraphScopes {
  /** Every scope any `@requiresScopes` names, sorted. */
  all: string[];
  /** Scopes a patient consents to for a cabinet: all but those `@issuedTo` a role, sorted. */
  patient: string[];
  /** Scopes issued to a role (`@issuedTo`), e.g. `DOCTOR: ['declaration:sign']`, sorted. */
  byRole: Record<string, string[]>;
}

/** The scopes of a supergraph's `@requiresScopes`, split by `@issuedTo`. */
export function scopesOf(directives: SupergraphDirectives): SupergraphScopes {
  const all = new Set<string>();
  for (const sets of [...directives.typeScopes.values(), ...directives.fieldScopes.values()]) for (const set of sets) for (const s of set) all.add(s);
  const byRole: Record<string, Set<string>> = {};
  const issued = new Set<string>();
  for (const [coordinate, roles] of directives.issuedTo) {
    for (const set of directives.fieldScopes.get(coordinate) ?? []) {
      for (const s of set) {
        issued.add(s);
        for (const role of roles) (byRole[role] ??= new Set()).add(s);
      }
    }
  }
  return {
    all: [...all].sort(),
    patient: [...all].filter((s) => !issued.has(s)).sort(),
    byRole: Object.fromEntries(Object.entries(byRole).map(([role, s]) => [role, [...s].sort()])),
  };
}

let committed: SupergraphScopes | undefined;

/**
 * The scopes of the committed `schema/supergraph.graphql`, read once per process. The access
 * subgraph's known scopes and the demo tokens' scopes come from here, never from a list.
 */
export function supergraphScopes(): SupergraphScopes {
  committed ??= scopesOf(supergraphDirectives(readFileSync(supergraphPath, 'utf8')));
  return committed;
}

/** `spec#directive` → the name it has in this document, for the specs read here. */
function linkedNames(doc: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'link') continue;
      const url = stringArg(d, 'url');
      const base = url && [REQUIRES_SCOPES_SPEC, AUTHENTICATED_SPEC, ACCESS_LOG_SPEC].find((b) => url.startsWith(`${b}/`));
      if (!base) continue;
      // A spec's own directive (named like the spec) is `@<as or spec name>`; imports may rename.
      const specName = base.slice(base.lastIndexOf('/') + 1);
      names.set(`${base}#${specName}`, stringArg(d, 'as') ?? specName);
      const imports = argValue(d, 'import');
      for (const imp of Array.isArray(imports) ? imports : []) {
        const [from, to] =
          typeof imp === 'string'
            ? [imp, imp]
            : [String((imp as { name: string }).name), String((imp as { as?: string }).as ?? (imp as { name: string }).name)];
        if (from.startsWith('@')) names.set(`${base}#${from.slice(1)}`, to.replace(/^@/, ''));
      }
    }
  }
  return names;
}

function argValue(d: ConstDirectiveNode, name: string): unknown {
  const arg = d.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value) : undefined;
}

function stringArg(d: ConstDirectiveNode, name: string): string | undefined {
  const v = argValue(d, name);
  return typeof v === 'string' ? v : undefined;
}

function scopesArg(d: ConstDirectiveNode): string[][] {
  const v = argValue(d, 'scopes');
  return Array.isArray(v) ? v.filter(Array.isArray).map((set: unknown[]) => set.map(String)) : [];
}

/**
 * Two `@requiresScopes` on one element (a type declared in several subgraphs can be composed
 * so): both must hold, so every pair of alternatives is joined (the rule's AND of two ORs).
 */
function mergeScopes(prev: string[][] | undefined, next: string[][]): string[][] {
  if (!prev) return next;
  return prev.flatMap((a) => next.map((b) => [...new Set([...a, ...b])]));
}
