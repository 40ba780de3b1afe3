import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { isService, requirePatient, requireSelfOrService, requireService, type Caller } from '@pc/auth';
import { isUuid } from '@pc/graphql-kit';
import { forbidden, userError, type UserError } from '@pc/errors';
import { applyConsent, grantStatus, normaliseScopes, unknownScopes, type AccessGrantStatus } from '../domain/grants';
import { AccessGrant } from '../entities/AccessGrant';
import type { GrantAccessInput } from '../generated/graphql';
import { AccessLogEntry } from '../entities/AccessLogEntry';
import { Cabinet } from '../entities/Cabinet';
import type { Loaders } from '../loaders/createLoaders';

/** Result of a grant mutation (api.md payload shape). */
export interface GrantPayload {
  accessGrant: AccessGrant | null;
  userErrors: UserError[];
}

/** Grants: listing one's own, revoking, and recording consent (internal). */
export class AccessGrantService {
  constructor(
    private readonly ds: DataSource,
    private readonly loaders: Loaders,
    private readonly caller: Caller,
  ) {}

  /** The person's grants with the given statuses (default ACTIVE), newest first. */
  async forPerson(personId: string, statuses: AccessGrantStatus[] | null | undefined, cabinetName?: string | null): Promise<AccessGrant[]> {
    requireSelfOrService(this.caller, personId, 'access:read');
    const wanted = new Set(statuses && statuses.length > 0 ? statuses : ['ACTIVE']);
    const now = new Date();
    let grants = (await this.loaders.grantsByPersonId.load(personId)).filter((g) => wanted.has(grantStatus(g, now)));
    const needle = cabinetName?.trim().toLocaleLowerCase('uk');
    if (needle) {
      const cabinets = await this.loaders.cabinetById.loadMany(grants.map((g) => g.cabinetId));
      grants = grants.filter((_, i) => {
        const c = cabinets[i];
        return c && !(c instanceof Error) && c.name.toLocaleLowerCase('uk').includes(needle);
      });
    }
    return grants;
  }

  /** A grant referenced by id from another subgraph: its person or a service only. */
  async byReference(id: string): Promise<AccessGrant | null> {
    const g = isUuid(id) ? await this.loaders.grantById.load(id) : null;
    if (!g) return null;
    requireSelfOrService(this.caller, g.personId, 'access:read');
    return g;
  }

  /**
   * Revokes one of the caller's own grants (scope access:write). Another person's grant is
   * FORBIDDEN and untouched; revoking an already revoked grant changes nothing.
   */
  async revoke(id: string): Promise<GrantPayload> {
    const service = isService(this.caller);
    const personId = service ? null : requirePatient(this.caller, 'access:write');
    if (!isUuid(id)) return { accessGrant: null, userErrors: [userError(['input', 'id'], 'NOT_FOUND', 'No such access grant')] };
    const existing = await this.ds.getRepository(AccessGrant).findOneBy({ id });
    if (!existing) return { accessGrant: null, userErrors: [userError(['input', 'id'], 'NOT_FOUND', 'No such access grant')] };
    if (personId !== null && existing.personId !== personId) throw forbidden('This access grant is not yours');
    // The condition repeats the owner so that the row can only change for its person, whatever
    // happened between the read above and this statement.
    await this.ds.query(
      `UPDATE access.access_grant SET revoked_at = now(), updated_at = now()
       WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL`,
      [id, existing.personId],
    );
    return { accessGrant: await this.ds.getRepository(AccessGrant).findOneByOrFail({ id }), userErrors: [] };
  }

  /**
   * Records a consent (internal: the identity provider's consent screen, `npm run token --
   * --consent`, tests). Granting again merges scopes into an active grant; a revoked or expired
   * one starts afresh. A real change is written to the person's access log in the same
   * transaction.
   */
  async grant(input: GrantAccessInput): Promise<GrantPayload> {
    const service = requireService(this.caller);
    const errors: UserError[] = [];
    if (!isUuid(input.personId)) errors.push(userError(['input', 'personId'], 'BAD_USER_INPUT', 'personId must be a UUID'));
    if (!isUuid(input.cabinetId)) errors.push(userError(['input', 'cabinetId'], 'NOT_FOUND', 'No such cabinet'));
    const unknown = unknownScopes(input.scopes);
    if (unknown.length) errors.push(userError(['input', 'scopes'], 'UNKNOWN_SCOPE', `Unknown scopes: ${unknown.join(', ')}`));
    if (input.scopes.length === 0) errors.push(userError(['input', 'scopes'], 'BAD_USER_INPUT', 'At least one scope is required'));
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
      errors.push(userError(['input', 'expiresAt'], 'BAD_USER_INPUT', 'expiresAt must be in the future'));
    if (errors.length) return { accessGrant: null, userErrors: errors };
    const cabinet = await this.ds.getRepository(Cabinet).findOneBy({ id: input.cabinetId });
    if (!cabinet) return { accessGrant: null, userErrors: [userError(['input', 'cabinetId'], 'NOT_FOUND', 'No such cabinet')] };
    if (cabinet.blocked) return { accessGrant: null, userErrors: [userError(['input', 'cabinetId'], 'CABINET_BLOCKED', 'This cabinet is blocked')] };

    const grant = await this.ds.transaction(async (tx) => {
      const now = new Date();
      // The insert settles a race between two first consents; the loser updates the winner's row.
      const inserted = await tx.query(
        `INSERT INTO access.access_grant (id, person_id, cabinet_id, scopes, granted_at, expires_at, revoked_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, NULL, $5)
         ON CONFLICT (person_id, cabinet_id) DO NOTHING RETURNING id`,
        [randomUUID(), input.personId, input.cabinetId, normaliseScopes(input.scopes), now, input.expiresAt ?? null],
      );
      let changed = inserted.length > 0;
      if (!changed) {
        const existing = await tx
          .getRepository(AccessGrant)
          .createQueryBuilder('g')
          .setLock('pessimistic_write')
          .where('g.person_id = :p AND g.cabinet_id = :c', { p: input.personId, c: input.cabinetId })
          .getOneOrFail();
        const { next, changed: differs } = applyConsent(existing, { scopes: input.scopes, expiresAt: input.expiresAt ?? null }, now);
        changed = differs;
        if (differs) {
          await tx.getRepository(AccessGrant).update({ id: existing.id }, { ...next, updatedAt: now });
        }
      }
      const row = await tx.getRepository(AccessGrant).findOneByOrFail({ personId: input.personId, cabinetId: input.cabinetId });
      if (changed) await this.logConsent(tx, row, service, now);
      return row;
    });
    return { accessGrant: grant, userErrors: [] };
  }

  /** Blocks or unblocks a cabinet (internal, operators). */
  async setCabinetBlocked(id: string, blocked: boolean): Promise<{ cabinet: Cabinet | null; userErrors: UserError[] }> {
    requireService(this.caller);
    const cabinet = isUuid(id) ? await this.ds.getRepository(Cabinet).findOneBy({ id }) : null;
    if (!cabinet) return { cabinet: null, userErrors: [userError(['input', 'id'], 'NOT_FOUND', 'No such cabinet')] };
    await this.ds.getRepository(Cabinet).update({ id }, { blocked });
    return { cabinet: await this.ds.getRepository(Cabinet).findOneByOrFail({ id }), userErrors: [] };
  }

  private async logConsent(tx: EntityManager, g: AccessGrant, service: string, at: Date): Promise<void> {
    await tx.getRepository(AccessLogEntry).insert({
      id: randomUUID(),
      at,
      personId: g.personId,
      cabinetId: g.cabinetId,
      actor: service,
      actorRole: 'SERVICE',
      action: 'CHANGE',
      resource: 'accessGrants',
      operationName: 'grantAccess',
      requestId: this.caller.requestId || null,
      tokenId: null,
      recordedAt: at,
    });
  }
}
