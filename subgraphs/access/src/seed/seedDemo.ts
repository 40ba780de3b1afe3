import type { DataSource } from 'typeorm';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import type { Logger } from '@pc/logging';
import { CABINET_SCOPES } from '../domain/grants';
import { AccessGrant } from '../entities/AccessGrant';
import { Cabinet } from '../entities/Cabinet';

/** The three demo cabinets with their public facts. */
const demoCabinets: Pick<Cabinet, 'id' | 'name' | 'kind' | 'website' | 'owner' | 'redirectUris' | 'blocked'>[] = [
  {
    ...DEMO_CABINETS.state,
    website: 'https://cabinet.ehealth.example',
    owner: 'Національна служба здоровʼя України',
    redirectUris: ['https://cabinet.ehealth.example/callback'],
    blocked: false,
  },
  {
    ...DEMO_CABINETS.zdorovia,
    website: 'https://zdorovia-plus.example',
    owner: 'ТОВ «Здоровʼя Плюс»',
    redirectUris: ['https://zdorovia-plus.example/auth'],
    blocked: false,
  },
  {
    ...DEMO_CABINETS.medcard,
    website: 'https://medcard.example',
    owner: 'ТОВ «МедКарта»',
    redirectUris: ['https://medcard.example/oauth/callback'],
    blocked: false,
  },
];

/**
 * Scopes of the demo grants. The state cabinet holds everything; Здоровʼя+ reads and changes
 * data and declarations but cannot manage grants; МедКарта only reads (so a МедКарта token
 * asking for person:write cannot write — the scope intersection of docs/access.md).
 */
export const DEMO_GRANT_SCOPES = {
  state: [...CABINET_SCOPES],
  zdorovia: ['person:read', 'person:write', 'declaration:read', 'declaration:write'],
  medcard: ['person:read', 'declaration:read'],
} as const;

// Fixed ids and times: the demo data is the same on every start.
const GRANTED_AT = new Date('2024-09-01T09:00:00Z');
const grantId = (n: number) => `8d3e4c1a-9b0f-4e02-8cf0-${String(n).padStart(12, '0')}`;

/** Cabinets, and grants: the patient consented to all three, the other personas to the state cabinet. */
export async function seedDemo(ds: DataSource, log: Logger): Promise<void> {
  await ds.createQueryBuilder().insert().into(Cabinet).values(demoCabinets).orIgnore().execute();
  const grants: Omit<AccessGrant, 'updatedAt'>[] = [
    ...(['state', 'zdorovia', 'medcard'] as const).map((c, i) => ({
      id: grantId(i + 1),
      personId: DEMO_PERSONAS.patient.id,
      cabinetId: DEMO_CABINETS[c].id,
      scopes: [...DEMO_GRANT_SCOPES[c]].sort(),
      grantedAt: GRANTED_AT,
      expiresAt: null,
      revokedAt: null,
    })),
    ...(['other', 'teen', 'represented', 'parent'] as const).map((p, i) => ({
      id: grantId(i + 4),
      personId: DEMO_PERSONAS[p].id,
      cabinetId: DEMO_CABINETS.state.id,
      scopes: [...DEMO_GRANT_SCOPES.state].sort(),
      grantedAt: GRANTED_AT,
      expiresAt: null,
      revokedAt: null,
    })),
  ];
  // orIgnore: a restart must not undo a revocation the person made since.
  await ds
    .createQueryBuilder()
    .insert()
    .into(AccessGrant)
    .values(grants.map((g) => ({ ...g, updatedAt: GRANTED_AT })))
    .orIgnore()
    .execute();
  log.info({ cabinets: demoCabinets.length, grants: grants.length }, 'access demo data ready');
}
