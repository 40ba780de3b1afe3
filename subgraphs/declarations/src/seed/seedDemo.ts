import type { DataSource, EntityManager } from 'typeorm';
import { DEMO_PERSONAS } from '@pc/demo';
import { addDays, KYIV, todayIn } from '@pc/calendar';
import { deterministicUuid } from '@pc/fixtures';
import type { Logger } from '@pc/logging';
import { formatDeclarationNumber } from '../domain/declarationNumber';
import { lockDoctorLists, publishCounts } from '../queries';

// The directory's hand-written demo records (subgraphs/directory/src/seed/demoProviders.ts):
// fixed ids derived the same way, so no subgraph imports another and no start-up order matters.
const directoryId = (n: number): string => deterministicUuid('demo-directory', n);
/** Ids of the directory's demo records the demo declarations name. */
const DEMO_DIRECTORY_REFS = {
  legalEntityId: directoryId(1),
  divisionId: directoryId(2),
  doctorId: DEMO_PERSONAS.doctor.id,
  /** A family doctor since dismissed: the patient's earlier declaration was with them. */
  dismissedDoctorId: directoryId(12),
} as const;

/** Fixed ids of the demo declarations. */
const DEMO_DECLARATIONS = {
  /** The `patient` persona's ACTIVE declaration with the `doctor` persona. */
  active: deterministicUuid('demo-declarations', 1),
  /** The patient's earlier declaration, TERMINATED by the patient. */
  terminated: deterministicUuid('demo-declarations', 2),
} as const;

interface DemoDeclaration {
  n: number;
  id: string;
  doctorId: string;
  status: 'ACTIVE' | 'TERMINATED';
  startDate: string;
  endDate: string;
  terminatedOn: string | null;
}

/**
 * Writes the demo declarations: the `patient` persona has an ACTIVE declaration with the
 * `doctor` persona (signed two months ago) and an older TERMINATED one. Dates are relative to
 * the day of the first seeding, so the active one is in force whenever the demo is started
 * fresh. Idempotent: existing rows are left alone; a numbered row is written only once, so the
 * numbers (from the sequence) are the same on every fresh start.
 */
export async function seedDemo(ds: DataSource, log: Logger): Promise<void> {
  const today = todayIn(KYIV);
  const patient = DEMO_PERSONAS.patient.id;
  const started = addDays(today, -60);
  const olderStart = addDays(today, -500);
  const rows: DemoDeclaration[] = [
    {
      n: 2,
      id: DEMO_DECLARATIONS.terminated,
      doctorId: DEMO_DIRECTORY_REFS.dismissedDoctorId,
      status: 'TERMINATED',
      startDate: olderStart,
      endDate: addDays(olderStart, 365),
      terminatedOn: addDays(started, -1),
    },
    {
      n: 1,
      id: DEMO_DECLARATIONS.active,
      doctorId: DEMO_DIRECTORY_REFS.doctorId,
      status: 'ACTIVE',
      startDate: started,
      endDate: addDays(started, 365),
      terminatedOn: null,
    },
  ];
  let written = 0;
  await ds.transaction(async (m) => {
    const versions = await lockDoctorLists(
      m,
      rows.map((r) => r.doctorId),
    );
    for (const r of rows) written += await insertOnce(m, patient, r);
    if (written) await publishCounts(m, versions);
  });
  log.info({ declarations: written }, 'declarations demo data ready');
}

async function insertOnce(m: EntityManager, personId: string, r: DemoDeclaration): Promise<number> {
  const exists: unknown[] = await m.query('SELECT 1 FROM declarations.declaration WHERE id = $1', [r.id]);
  if (exists.length) return 0;
  const [{ seq }]: { seq: string }[] = await m.query(`SELECT nextval('declarations.declaration_number_seq') AS seq`);
  const signedAt = `${r.startDate}T09:30:00+02:00`;
  // The request it was signed from (ids 101, 102 beside declarations 1, 2).
  const requestId = deterministicUuid('demo-declarations', 100 + r.n);
  await m.query(
    `INSERT INTO declarations.declaration_request (id, person_id, doctor_id, division_id, legal_entity_id, status, channel, doctor_speciality, created_at, updated_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, 'SIGNED', 'ONLINE', 'FAMILY_DOCTOR', $6::timestamptz - interval '2 hours', $6, $6::timestamptz + interval '22 hours')`,
    [requestId, personId, r.doctorId, DEMO_DIRECTORY_REFS.divisionId, DEMO_DIRECTORY_REFS.legalEntityId, signedAt],
  );
  await m.query(
    `INSERT INTO declarations.declaration
       (id, number, declaration_request_id, person_id, doctor_id, division_id, legal_entity_id, speciality, status, start_date, end_date, signed_at,
        terminated_at, termination_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'FAMILY_DOCTOR', $8, $9, $10, $11, $12, $13)`,
    [
      r.id,
      formatDeclarationNumber(seq),
      requestId,
      personId,
      r.doctorId,
      DEMO_DIRECTORY_REFS.divisionId,
      DEMO_DIRECTORY_REFS.legalEntityId,
      r.status,
      r.startDate,
      r.endDate,
      signedAt,
      r.terminatedOn ? `${r.terminatedOn}T18:00:00+02:00` : null,
      r.terminatedOn ? 'manual_person' : null,
    ],
  );
  return 1;
}
