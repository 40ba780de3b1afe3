import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { decodeJwt } from 'jose';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Caller } from '@pc/auth';
import { createPgPool, hotPoolQuery, isConnectionLost } from '@pc/db';
import { ErrorCode } from '@pc/errors';
import type { Logger } from '@pc/logging';
import type { GatewayContext } from '../context';
import type { RequestGuard } from '../pipeline/guards';
import { AccessLogWriter } from './AccessLogWriter';
import { accessLogPlugin } from './accessLogPlugin';
import { admitPatient, type GrantRecord, type GrantRefusal } from './admitPatient';
import type { AccessRules } from './classifyAccess';
import { DEFAULT_NOTIFY_TTL_MS, GrantCache } from './GrantCache';
import { GrantChangeListener, type InvalidationMode } from './GrantChangeListener';
import {
  parseRepresentationChange,
  REPRESENTATION_CHANGED_CHANNEL,
  RepresentationCache,
  representationLifetimeMs,
  type RepresentationChange,
} from './RepresentationCache';

/** Options of {@link createAccessGuard}; every default is what the gateway runs with. */
export interface AccessGuardOptions {
  /** The database holding the access subgraph's schema. */
  databaseUrl: string;
  log: Logger;
  /** Connections of the guard's own pool (grant reads, log writes, probes); default 4. */
  poolSize?: number;
  /** Lifetime of a cached grant check while change notifications are proven to arrive; default 120,000 ms (ACCESS_CACHE_TTL_MS). */
  cacheTtlMs?: number;
  /** Lifetime while they are not (PGlite, listener reconnecting); default 500 ms, at most 1,000 (the revocation deadline). */
  fallbackTtlMs?: number;
  /** LISTEN for grant and representation changes; default true. Off, checks expire by `fallbackTtlMs`, lists by `representationTtlMs`. */
  listen?: boolean;
  /** Heartbeat of the change listener; default 1,000 ms. */
  heartbeatMs?: number;
  /** Time between access log flushes; default 50 ms. */
  flushIntervalMs?: number;
  /** Write-ahead spool directory of the access log; none by default (memory only). */
  spoolDir?: string;
  /** Which parts of the schema are personal data (the access log's resources). */
  rules?: AccessRules;
  /**
   * How long a patient's list of represented people is reused while representation changes do not
   * arrive by NOTIFY (PGlite, listener reconnecting); default 10,000 ms. While they do, a list lives
   * `cacheTtlMs`, but never past the next midnight in Kyiv (relationships end by date).
   */
  representationTtlMs?: number;
  /** Largest number of cached lists; default 50,000. */
  representationCacheSize?: number;
}

/**
 * The access management of the gateway, in one piece: `guard` (first in the guard chain)
 * admits a patient's token only while the person's grant to the token's cabinet is active, and
 * narrows the caller's scopes to those the grant holds; `plugin` records the access log.
 */
export interface AccessGuard {
  guard: RequestGuard;
  plugin: ApolloServerPlugin<GatewayContext>;
  writer: AccessLogWriter;
  cache: GrantCache;
  /** Whom each patient may act for, by actor. */
  representations: RepresentationCache;
  /** How cached checks are invalidated right now. */
  readonly mode: InvalidationMode;
  /** How cached representation lists are invalidated right now. */
  readonly representationMode: InvalidationMode;
  /** Adds the guard's metrics to the gateway's registry. */
  registerMetrics(registry: Registry): void;
  /** Flushes the access log, stops listening, closes the pool. */
  stop(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MESSAGES: Record<GrantRefusal, string> = {
  NO_CABINET: 'The token names no cabinet',
  NO_GRANT: 'This cabinet has no permission to access your data / Кабінет не має дозволу на доступ до ваших даних',
  GRANT_REVOKED: 'Access of this cabinet was revoked / Доступ цього кабінету відкликано',
  GRANT_EXPIRED: 'Access of this cabinet has expired / Термін доступу цього кабінету минув',
  CABINET_BLOCKED: 'This cabinet is blocked / Цей кабінет заблоковано',
  TOKEN_BEFORE_GRANT: 'The token predates the current permission; sign in again / Увійдіть знову',
};

/** Builds the access guard; connects in the background (the first checks wait for the pool). */
export function createAccessGuard(opts: AccessGuardOptions): AccessGuard {
  const fallbackTtlMs = Math.min(opts.fallbackTtlMs ?? 500, 1000);
  const pool = createPgPool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 4, application_name: 'gateway-access' });
  // An idle client's error (database restart) must not crash the gateway; the next query reconnects.
  pool.on('error', (err) => opts.log.warn({ err }, 'access pool connection error'));
  let listener: GrantChangeListener | null = null;
  const cache = new GrantCache({ ttlMs: () => (listener?.mode === 'notify' ? (opts.cacheTtlMs ?? DEFAULT_NOTIFY_TTL_MS) : fallbackTtlMs) });
  // Whom each patient may act for (docs/representatives.md): decided by identity's
  // representations_of_v1 (the one definition of the rule) and reused per actor; the list travels
  // signed in the caller token, so a subgraph checks a person id against it and never trusts one
  // from the request. identity NOTIFYs the actors whose lists changed; while that is proven to
  // arrive a list lives as long as a grant check, but not past Kyiv midnight (relationships end by date).
  let representationListener: GrantChangeListener<RepresentationChange> | null = null;
  const notifyTtlMs = opts.cacheTtlMs ?? DEFAULT_NOTIFY_TTL_MS;
  const representationTtlMs = opts.representationTtlMs ?? 10_000;
  const representations = new RepresentationCache({
    maxEntries: opts.representationCacheSize ?? 50_000,
    ttlMs: (now) => representationLifetimeMs(representationListener?.mode ?? 'ttl', now, notifyTtlMs, representationTtlMs),
  });
  if (opts.listen !== false) {
    representationListener = new GrantChangeListener<RepresentationChange>({
      databaseUrl: opts.databaseUrl,
      pool,
      log: opts.log,
      heartbeatMs: opts.heartbeatMs,
      channel: { name: REPRESENTATION_CHANGED_CHANNEL, parse: parseRepresentationChange, label: 'representation' },
      onChange: (c) => ('all' in c ? representations.clear() : representations.invalidate(c.actors)),
      onModeChange: () => representations.clear(),
    });
    representationListener.start();
    listener = new GrantChangeListener({
      databaseUrl: opts.databaseUrl,
      pool,
      log: opts.log,
      heartbeatMs: opts.heartbeatMs,
      onChange: (c) => cache.invalidate(c.cabinetId, c.personId),
      onModeChange: () => cache.clear(),
    });
    listener.start();
  }
  const writer = new AccessLogWriter({ pool, log: opts.log, flushIntervalMs: opts.flushIntervalMs, spoolDir: opts.spoolDir });
  writer.start();
  const refusals = new Counter({
    name: 'access_guard_refusals_total',
    help: 'Patient tokens refused by the grant check',
    labelNames: ['reason'],
    registers: [],
  });

  // A grant-cache miss reads the grant (possibly absent) and the actor's list in one statement,
  // one round trip before planning instead of two; the list primes the representation cache.
  const loadAdmission = async (personId: string, cabinetId: string, log: Logger): Promise<{ grant: GrantRecord | null; actFor?: readonly string[] }> => {
    const token = representations.beginLoad();
    let row: GrantRow & { found: boolean; act_for: string[] | null };
    try {
      // A pooled connection lost under the read (terminated backend, failover) is retried once on a fresh one.
      const { rows } = await hotPoolQuery<GrantRow & { found: boolean; act_for: string[] | null }>(pool, ADMISSION_SQL, [personId, cabinetId], opts.log);
      row = rows[0];
    } catch (err) {
      if (isConnectionLost(err)) throw err;
      // The list's half may be what failed (identity's function unreadable): the grant alone decides
      // admission (fail closed if that fails too); the list is then read alone (fail to self).
      log.error({ err }, 'admission statement failed; reading the grant alone');
      return { grant: await loadGrant(personId, cabinetId) };
    }
    const actFor = row.act_for ?? [];
    representations.prime(personId, actFor, token);
    return { grant: row.found ? grantOf(row) : null, actFor };
  };

  const loadGrant = async (personId: string, cabinetId: string): Promise<GrantRecord | null> => {
    // A pooled connection lost under the read (terminated backend, failover) is retried once on a fresh one.
    const { rows } = await hotPoolQuery<GrantRow>(
      pool,
      'SELECT scopes, granted_at, expires_at, revoked_at, cabinet_blocked FROM access.gateway_grant_v1 WHERE person_id = $1 AND cabinet_id = $2',
      [personId, cabinetId],
      opts.log,
    );
    return rows[0] ? grantOf(rows[0]) : null;
  };

  // The list alone: a grant answered from memory while the actor's list has expired.
  const loadActFor = async (actorId: string, log: Logger): Promise<readonly string[]> => {
    try {
      return await representations.get(actorId, async () => {
        const { rows } = await hotPoolQuery<{ person_id: string }>(
          pool,
          'SELECT person_id FROM identity.representations_of_v1($1) ORDER BY person_id',
          [actorId],
          opts.log,
        );
        return rows.map((r) => r.person_id);
      });
    } catch (err) {
      // Fail closed for representation only: the caller still acts for themselves.
      log.error({ err }, 'representations cannot be read; acting for oneself only');
      return [];
    }
  };

  const refuse = (reason: GrantRefusal): GraphQLError => {
    refusals.inc({ reason });
    return new GraphQLError(MESSAGES[reason], { extensions: { code: ErrorCode.UNAUTHENTICATED, reason, http: { status: 401 } } });
  };

  const guard: RequestGuard = async ({ caller, req, log }): Promise<Caller> => {
    // Doctors act under their professional role, not under a patient's consent to a cabinet.
    if (!caller.subject || !caller.roles.includes('PATIENT')) return caller;
    if (!caller.clientId) throw refuse('NO_CABINET');
    if (!UUID.test(caller.clientId) || !UUID.test(caller.subject)) throw refuse('NO_GRANT');
    let grant: GrantRecord | null;
    // Set when this request's grant miss read the list in the same statement.
    let actFor: readonly string[] | undefined;
    try {
      grant = await cache.get(caller.subject, caller.clientId, async () => {
        const admission = await loadAdmission(caller.subject!, caller.clientId!, log);
        actFor = admission.actFor;
        return admission.grant;
      });
    } catch (err) {
      log.error({ err }, 'grant check failed');
      // Fail closed: without the grant nothing may be served to a cabinet.
      throw new GraphQLError('Access grants cannot be checked right now', { extensions: { code: ErrorCode.DEPENDENCY_UNAVAILABLE, http: { status: 503 } } });
    }
    const decision = admitPatient(grant, { scopes: caller.scopes, issuedAt: issuedAt(req.headers.authorization) }, Date.now());
    if ('refused' in decision) {
      log.info({ reason: decision.refused, clientId: caller.clientId }, 'refused by grant check');
      throw refuse(decision.refused);
    }
    actFor ??= await loadActFor(caller.subject, log);
    return actFor.length ? { ...caller, scopes: decision.scopes, actFor } : { ...caller, scopes: decision.scopes };
  };

  return {
    guard,
    plugin: accessLogPlugin({ writer, rules: opts.rules, onPatientMutation: (personId) => cache.invalidatePerson(personId) }),
    writer,
    cache,
    representations,
    get mode() {
      return listener?.mode ?? 'ttl';
    },
    get representationMode() {
      return representationListener?.mode ?? 'ttl';
    },
    registerMetrics(registry) {
      registry.registerMetric(refusals);
      const gauge = (name: string, help: string, read: () => number) =>
        new Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            this.set(read());
          },
        });
      gauge('access_grant_cache_notify_mode', '1 while grant changes arrive by LISTEN/NOTIFY, 0 while checks expire by TTL', () =>
        listener?.mode === 'notify' ? 1 : 0,
      );
      gauge('access_grant_cache_entries', 'Cached grant checks', () => cache.size);
      gauge('access_grant_cache_hits', 'Grant checks answered from memory since start', () => cache.stats.hits);
      gauge('access_grant_cache_loads', 'Grant checks read from the database since start', () => cache.stats.loads);
      gauge('access_representation_cache_notify_mode', '1 while representation changes arrive by LISTEN/NOTIFY, 0 while lists expire by TTL', () =>
        representationListener?.mode === 'notify' ? 1 : 0,
      );
      gauge('access_representation_cache_entries', 'Cached lists of represented people', () => representations.size);
      gauge('access_representation_cache_hits', 'Lists of represented people answered from memory since start', () => representations.stats.hits);
      gauge(
        'access_representation_cache_loads',
        'Lists of represented people read from the database since start (with a grant or alone)',
        () => representations.stats.loads,
      );
      gauge('access_log_pending_entries', 'Access log entries recorded but not yet written', () => writer.pending);
      gauge('access_log_written_entries', 'Access log entries written since start', () => writer.stats.written);
      gauge('access_log_failed_flushes', 'Failed access log flushes since start', () => writer.stats.failedFlushes);
      gauge('access_log_dropped_entries', 'Access log entries dropped (buffer full, no spool) since start', () => writer.stats.dropped);
    },
    async stop() {
      await writer.stop();
      await listener?.stop();
      await representationListener?.stop();
      await pool.end();
    },
  };
}

interface GrantRow {
  scopes: string[];
  granted_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  cabinet_blocked: boolean;
}

const grantOf = (r: GrantRow): GrantRecord => ({
  scopes: r.scopes,
  grantedAt: r.granted_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  cabinetBlocked: r.cabinet_blocked,
});

/**
 * One row whatever the grant: the grant's columns (null when there is none, `found` false) and
 * the actor's represented people, sorted as the list read alone is.
 */
const ADMISSION_SQL = `SELECT g.person_id IS NOT NULL AS found, g.scopes, g.granted_at, g.expires_at, g.revoked_at, g.cabinet_blocked,
  ARRAY(SELECT r.person_id::text FROM identity.representations_of_v1($1) r ORDER BY r.person_id) AS act_for
FROM (VALUES (1)) AS one (x)
LEFT JOIN LATERAL (
  SELECT v.person_id, v.scopes, v.granted_at, v.expires_at, v.revoked_at, v.cabinet_blocked
  FROM access.gateway_grant_v1 v WHERE v.person_id = $1 AND v.cabinet_id = $2
) g ON true`;

/** `iat` of the bearer token (already verified by then), or null. */
function issuedAt(authorization: string | undefined): number | null {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  if (!token) return null;
  try {
    const { iat } = decodeJwt(token);
    return typeof iat === 'number' ? iat : null;
  } catch {
    return null;
  }
}
