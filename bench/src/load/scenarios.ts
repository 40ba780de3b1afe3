import type { Pool } from 'pg';
import { DEMO_CABINETS, DOCTOR_SCOPES, PATIENT_SCOPES } from '@pc/demo';
import { readManifests } from '@pc/schema';
import type { BenchIssuer } from '../auth/benchIssuer';
import type { RequestTemplate } from './measure';

/** A persisted operation: its id in the cabinet's list and its text. */
export interface ListedOperation {
  id: string;
  name: string;
  body: string;
}

/** Everything the scenarios draw from: tokens of the pool, search inputs, doctors for the write path. */
export interface Fixtures {
  poolIds: string[];
  /** One token per virtual user: state cabinet (CabinetHome, FindDoctor) and Здоровʼя+ (partner, write path). */
  stateTokens: string[];
  partnerTokens: string[];
  /** Name prefixes of listed doctors, with the doctor's speciality. */
  nameSearches: { name: string; speciality: string }[];
  /** Locations of listed divisions in the densest settlement: centres of radius searches. */
  centres: { latitude: number; longitude: number }[];
  /** Family doctors of primary-care providers accepting patients, at one of their divisions, with a doctor token each. */
  writeDoctors: { doctorId: string; divisionId: string; token: string }[];
  ops: {
    cabinetHome: ListedOperation;
    findDoctor: ListedOperation;
    partnerDeclaration: ListedOperation;
    partnerSubmit: ListedOperation;
    doctorSign: ListedOperation;
    myPrescriptions: ListedOperation;
    myLabResults: ListedOperation;
  };
}

/** A listed operation of a cabinet's committed persisted query list. */
export function listedOperation(folder: string, name: string): ListedOperation {
  const op = readManifests()[folder]?.operations.find((o) => o.name === name);
  if (!op) throw new Error(`schema/persisted-queries/${folder}.json lists no ${name}`);
  return { id: op.id, name: op.name, body: op.body };
}

/**
 * Reads the scenario inputs from the seeded database and mints the tokens. The bench reads the
 * subgraphs' tables directly here (test fixtures, not a data path of the system).
 */
export async function loadFixtures(pool: Pool, poolIds: string[], issuer: BenchIssuer, writeDoctorCount: number): Promise<Fixtures> {
  const names = await pool.query<{ name: string; speciality: string }>(
    `SELECT DISTINCT ON (lower(left(d.last_name, 3)), l.speciality) left(d.last_name, 3) AS name, l.speciality
     FROM directory.doctor_listing l JOIN directory.doctor d ON d.id = l.doctor_id
     ORDER BY lower(left(d.last_name, 3)), l.speciality LIMIT 400`,
  );
  // Radius searches centre on listed places of the densest settlement (the most listed places; Kyiv
  // in the national data set): the hardest circles, the most places and doctors in 10 km.
  const centres = await pool.query<{ latitude: number; longitude: number }>(
    `WITH city AS (SELECT settlement_key FROM directory.doctor_listing_place WHERE latitude IS NOT NULL
                   GROUP BY settlement_key ORDER BY count(*) DESC, settlement_key LIMIT 1)
     SELECT latitude, longitude FROM directory.doctor_listing_place
     WHERE latitude IS NOT NULL AND settlement_key = (SELECT settlement_key FROM city)
     ORDER BY md5(division_id::text || doctor_id::text) LIMIT 400`,
  );
  const doctors = await pool.query<{ doctor_id: string; division_id: string }>(
    `SELECT DISTINCT ON (md5(l.doctor_id::text)) l.doctor_id, p.division_id
     FROM directory.doctor_listing l
     JOIN directory.doctor_listing_place p ON p.doctor_id = l.doctor_id
     JOIN directory.legal_entity le ON le.id = l.legal_entity_id AND le.type IN ('PRIMARY_CARE', 'MSP')
     WHERE l.speciality = 'FAMILY_DOCTOR' AND l.accepting_new_patients
     ORDER BY md5(l.doctor_id::text), p.division_id LIMIT $1`,
    [writeDoctorCount],
  );
  const mintAll = (clientId: string) => Promise.all(poolIds.map((sub) => issuer.mint({ sub, roles: ['PATIENT'], scopes: PATIENT_SCOPES, clientId })));
  return {
    poolIds,
    stateTokens: await mintAll(DEMO_CABINETS.state.id),
    partnerTokens: await mintAll(DEMO_CABINETS.zdorovia.id),
    nameSearches: names.rows,
    centres: centres.rows,
    writeDoctors: await Promise.all(
      doctors.rows.map(async (d) => ({
        doctorId: d.doctor_id,
        divisionId: d.division_id,
        token: await issuer.mint({ sub: d.doctor_id, roles: ['DOCTOR'], scopes: DOCTOR_SCOPES }),
      })),
    ),
    ops: {
      cabinetHome: listedOperation('state', 'CabinetHome'),
      findDoctor: listedOperation('state', 'FindDoctor'),
      partnerDeclaration: listedOperation('zdorovia', 'PartnerDeclaration'),
      partnerSubmit: listedOperation('zdorovia', 'PartnerSubmitDeclaration'),
      // Doctors are held to the doctors' list in production, like every caller.
      doctorSign: listedOperation('practitioners', 'SignDeclarationRequest'),
      myPrescriptions: listedOperation('state', 'MyPrescriptions'),
      myLabResults: listedOperation('state', 'MyLabResults'),
    },
  };
}

/** Our gateway gets persisted ids (production holds cabinets to their lists); the peer, which has no lists, the text. */
export type Flavour = 'persisted' | 'text';

const operationBody = (op: ListedOperation, flavour: Flavour, variables?: Record<string, unknown>) =>
  flavour === 'persisted'
    ? { operationName: op.name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } }
    : { operationName: op.name, variables, query: op.body };

/** Round-robin over a list, shared by all connections. */
function cycle<T>(items: T[], start = 0): () => T {
  if (items.length === 0) throw new Error('a scenario has no inputs (is the data set seeded?)');
  let i = start;
  return () => items[i++ % items.length];
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Ids of the scenarios, in run order. */
export const SCENARIOS = ['cabinet-home', 'search-name', 'search-radius', 'partner', 'write', 'my-prescriptions', 'my-lab-results'] as const;
/** A scenario id. */
export type ScenarioId = (typeof SCENARIOS)[number];

/** Titles for the report. */
export const SCENARIO_TITLES: Record<ScenarioId, string> = {
  'cabinet-home': '1. cabinet home (CabinetHome: me, declaration, doctor, division, grants)',
  'search-name': '2a. doctor search: name prefix + speciality (FindDoctor)',
  'search-radius': '2b. doctor search: 10 km around a division in the densest city (FindDoctor)',
  partner: '3. partner cabinet persisted query (Здоровʼя+ PartnerDeclaration)',
  write: '4. submit (Здоровʼя+ PartnerSubmitDeclaration) + doctor signs (2 requests)',
  'my-prescriptions': '5. my prescriptions (MyPrescriptions: first 20 with prescriber and pharmacy)',
  'my-lab-results': '6. my lab results (MyLabResults: first 20 reports with their observations and laboratory)',
};

/** The requests of a scenario, for autocannon. */
export function scenarioSteps(id: ScenarioId, f: Fixtures, flavour: Flavour): RequestTemplate[] {
  const stateToken = cycle(f.stateTokens);
  switch (id) {
    case 'cabinet-home':
      return [
        {
          build: () => ({ headers: bearer(stateToken()), body: operationBody(f.ops.cabinetHome, flavour) }),
          check: (b) => Boolean((b.data as { me?: { id?: string } } | null)?.me?.id),
        },
      ];
    case 'search-name': {
      const search = cycle(f.nameSearches);
      return [{ build: () => ({ headers: bearer(stateToken()), body: operationBody(f.ops.findDoctor, flavour, { filter: search(), first: 20 }) }) }];
    }
    case 'search-radius': {
      const centre = cycle(f.centres);
      return [
        {
          build: () => ({
            headers: bearer(stateToken()),
            body: operationBody(f.ops.findDoctor, flavour, { filter: { near: centre(), radiusKm: 10 }, first: 20 }),
          }),
        },
      ];
    }
    case 'my-prescriptions':
      return [
        {
          build: () => ({ headers: bearer(stateToken()), body: operationBody(f.ops.myPrescriptions, flavour, { first: 20 }) }),
          check: (b) => ((b.data as { me?: { prescriptions?: { edges?: unknown[] } } } | null)?.me?.prescriptions?.edges?.length ?? 0) > 0,
        },
      ];
    case 'my-lab-results':
      return [
        {
          build: () => ({ headers: bearer(stateToken()), body: operationBody(f.ops.myLabResults, flavour, { first: 20 }) }),
          // A list, possibly empty: the national generator gives a few people (4 of the 10,005 in the
          // token pool) no laboratory reports, and an empty page is their right answer.
          check: (b) => Array.isArray((b.data as { me?: { diagnosticReports?: { edges?: unknown[] } } } | null)?.me?.diagnosticReports?.edges),
        },
      ];
    case 'partner': {
      const token = cycle(f.partnerTokens);
      return [
        {
          build: () => ({ headers: bearer(token()), body: operationBody(f.ops.partnerDeclaration, flavour) }),
          check: (b) => Boolean((b.data as { me?: { id?: string } } | null)?.me?.id),
        },
      ];
    }
    case 'write': {
      // Patients from the far end of the pool, so the read scenarios' people keep their declarations steady.
      const patient = cycle([...f.partnerTokens].reverse());
      const doctor = cycle(f.writeDoctors, 7);
      return [
        {
          build: (ctx) => {
            const d = doctor();
            ctx.doctor = d;
            ctx.requestId = undefined;
            return {
              headers: bearer(patient()),
              body: operationBody(f.ops.partnerSubmit, flavour, { input: { doctorId: d.doctorId, divisionId: d.divisionId } }),
            };
          },
          check: (b, ctx) => {
            ctx.requestId = (b.data as { submitDeclarationRequest?: { declarationRequest?: { id?: string } | null } } | null)?.submitDeclarationRequest
              ?.declarationRequest?.id;
            return Boolean(ctx.requestId);
          },
        },
        {
          build: (ctx) => ({
            headers: bearer((ctx.doctor as Fixtures['writeDoctors'][number]).token),
            // A failed submit still sends a (refused) sign, so the pair keeps its rhythm; both count as errors.
            body: operationBody(f.ops.doctorSign, flavour, { input: { id: (ctx.requestId as string | undefined) ?? '00000000-0000-4000-8000-000000000000' } }),
          }),
          check: (b) =>
            (b.data as { signDeclarationRequest?: { declarationRequest?: { status?: string } | null } } | null)?.signDeclarationRequest?.declarationRequest
              ?.status === 'SIGNED',
        },
      ];
    }
  }
}
