import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import type { GatewayContext } from '../context';
import type { AccessLogWriter } from './AccessLogWriter';
import type { GraphQLSchema } from 'graphql';
import { directivesOf } from '../pipeline/authorization';
import { NO_ACCESS_RULES, accessRulesFrom, classifyAccess, type AccessRules } from './classifyAccess';

/** Options of {@link accessLogPlugin}. */
export interface AccessLogPluginOptions {
  writer: AccessLogWriter;
  /**
   * Which parts of the schema are personal data; default: the supergraph's `@accessLog`
   * directives, derived once per loaded schema.
   */
  rules?: AccessRules;
  /**
   * Called before the response of any mutation by a patient is sent: the instance that ran a
   * revocation must not serve that cabinet's next request from a cached check, even before the
   * database's notification (or the TTL) reaches it.
   */
  onPatientMutation?(personId: string): void;
}

/**
 * Records, just before each response is sent, what the operation read or changed of the
 * signed-in patient's data: the gateway alone knows the operation, the verified caller (person
 * and cabinet) and the data actually returned. Only patient callers are logged: a patient
 * token touches nothing but the person's own data, so the entry belongs to `caller.subject`.
 * Doctors' operations name no person the gateway could attribute them to (docs/access.md).
 */
export function accessLogPlugin(opts: AccessLogPluginOptions): ApolloServerPlugin<GatewayContext> {
  const bySchema = new WeakMap<GraphQLSchema, AccessRules>();
  const rulesFor = (schema: GraphQLSchema): AccessRules => {
    if (opts.rules) return opts.rules;
    let rules = bySchema.get(schema);
    if (!rules) {
      const directives = directivesOf(schema);
      if (!directives) return NO_ACCESS_RULES;
      rules = accessRulesFrom(directives);
      bySchema.set(schema, rules);
    }
    return rules;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const caller = rc.contextValue.caller;
          if (!caller?.subject || !caller.roles.includes('PATIENT') || !rc.operation || !rc.document) return;
          if (rc.operation.operation === 'mutation') opts.onPatientMutation?.(caller.subject);
          if (rc.response.body.kind !== 'single') return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const d of rc.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
          const touched = classifyAccess(rc.schema, rc.operation, fragments, rc.response.body.singleResult.data, rulesFor(rc.schema));
          if (touched.length === 0) return;
          const at = new Date();
          // A representative's operation that names someone they represent (person(id), an
          // input's personId) is that person's data: the entry goes to the represented person's
          // log, naming the representative as actor, and to the representative's own log.
          const subject = representedSubject(caller.actFor, rc.source, rc.request.variables);
          const entry = (t: (typeof touched)[number], personId: string, actorRole: string) => ({
            id: randomUUID(),
            at,
            personId,
            cabinetId: caller.clientId,
            actor: caller.subject!,
            actorRole,
            action: t.action,
            resource: t.resource,
            operationName: rc.operationName ?? rc.operation?.name?.value ?? null,
            requestId: caller.requestId,
            tokenId: caller.tokenId,
            subjectId: subject,
          });
          opts.writer.record(
            subject
              ? touched.flatMap((t) => [entry(t, subject, 'REPRESENTATIVE'), entry(t, caller.subject!, 'REPRESENTATIVE')])
              : touched.map((t) => entry(t, caller.subject!, 'PATIENT')),
          );
        },
      };
    },
  };
}

/**
 * The represented person an operation acts on: the first of the caller's `actFor` ids that the
 * operation's text or variables name (the subgraphs have already refused any id not in the list).
 */
export function representedSubject(
  actFor: readonly string[] | undefined,
  source: string | undefined,
  variables: Record<string, unknown> | undefined,
): string | null {
  if (!actFor?.length) return null;
  const vars = variables ? JSON.stringify(variables) : '';
  return actFor.find((id) => source?.includes(id) || vars.includes(id)) ?? null;
}
