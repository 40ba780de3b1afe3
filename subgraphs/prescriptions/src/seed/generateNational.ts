import type { DataSource } from 'typeorm';
import { MEDICATIONS, PHARMACIES, PHARMACISTS, PROGRAMS, seedReferenceData } from './referenceData';

/** SQL writing the bigint `expr` (below 18^12) as a number, 12 base-18 digits in 4-4-4: inlined, no per-row subquery. */
function numberSql(expr: string): string {
  const digit = (k: number) => `substr('0123456789AEHKMPTX', ((${expr} / ${18n ** BigInt(k)}) % 18)::int + 1, 1)`;
  const group = (hi: number) => [hi, hi - 1, hi - 2, hi - 3].map(digit).join(' || ');
  return `${group(11)} || '-' || ${group(7)} || '-' || ${group(3)}`;
}

/** A doctor who prescribes, where: ids of the directory's records. */
export interface Prescriber {
  doctorId: string;
  divisionId: string;
  legalEntityId: string;
}

/** What {@link seedNationalPrescriptions} writes. */
export interface NationalOptions {
  /** The people (identity's ids); each gets 1 to 2 × `perPerson` − 1 prescriptions (on average `perPerson`). */
  persons: readonly string[];
  /** Who prescribes; a person's prescriptions come from one of them (chosen by the person's id). */
  prescribers: readonly Prescriber[];
  /** Average prescriptions per person; default 2.5 (1,000,000 people → about 2,500,000 prescriptions). */
  perPerson?: number;
  /** Seed of the choices (statuses, medications, dates); default 1. */
  seed?: number;
  /** People per INSERT statement; default 200,000. */
  batch?: number;
  progress?: (line: string) => void;
}

/**
 * Writes a national-scale prescription set, set-based: per batch of people one INSERT … SELECT
 * over `unnest(people) × generate_series` writes the prescriptions and, from its RETURNING, their dispenses;
 * every choice is a hash of the person, the row and the seed (no per-row round trips, same data on
 * every run). Over the last year: ~12% ACTIVE (valid today), ~55% COMPLETED (1 or 2 dispenses),
 * ~28% EXPIRED, ~5% REJECTED. Numbers are a bijection of the row number onto the 12-digit space
 * (base 18, the number alphabet: n × 789012345678901 mod 18^12, the multiplier coprime with 18), so they
 * never collide with one another. Idempotent per person
 * (ids are md5 of person and row; `ON CONFLICT DO NOTHING`).
 *
 * @returns prescriptions and dispenses in the tables afterwards
 */
export async function seedNationalPrescriptions(ds: DataSource, o: NationalOptions): Promise<{ prescriptions: number; dispenses: number }> {
  const perPerson = o.perPerson ?? 2.5;
  const seed = o.seed ?? 1;
  const batch = o.batch ?? 200_000;
  const maxPer = Math.max(1, Math.round(2 * perPerson - 1));
  const q = ds.createQueryRunner();
  await q.connect();
  try {
    await q.manager.transaction((m) => seedReferenceData(m));
    const meds = MEDICATIONS.map((m) => m.id);
    const covered = MEDICATIONS.map((m) => m.reimbursement !== null);
    const prescribers = {
      doctor: o.prescribers.map((p) => p.doctorId),
      division: o.prescribers.map((p) => p.divisionId),
      legal: o.prescribers.map((p) => p.legalEntityId),
    };
    for (let start = 0; start < o.persons.length; start += batch) {
      const people = o.persons.slice(start, start + batch);
      const t = Date.now();
      // h: 31 bits of md5(seed, person, row) drive every choice of a row.
      await q.query(
        `WITH rows AS (
           SELECT p.id AS person_id, p.i, g,
                  ('x' || substr(md5($1::text || ':' || p.id || ':' || g), 1, 8))::bit(32)::int & 2147483647 AS h,
                  ('x' || substr(md5($1::text || ':' || p.id), 1, 8))::bit(32)::int & 2147483647 AS ph
           FROM unnest($2::uuid[]) WITH ORDINALITY AS p(id, i)
           CROSS JOIN LATERAL generate_series(1, 1 + (('x' || substr(md5('n:' || p.id), 1, 4))::bit(16)::int % $3)) g),
         shaped AS (
           SELECT r.*, (current_date - (h % 365))::date AS created,
                  CASE WHEN h % 100 < 5 THEN 'REJECTED' ELSE NULL END AS rejected,
                  1 + (h / 7) % 3 AS quantity,
                  1 + (h / 101) % ${meds.length} AS med,
                  1 + ph % ${o.prescribers.length} AS who
           FROM rows r),
         inserted AS (
         INSERT INTO prescriptions.prescription
           (id, number, person_id, prescriber_id, division_id, legal_entity_id, status, created_at, updated_at, valid_from, valid_to,
            medication_id, quantity, dispensed_quantity, dosage_instruction, program_id, verification_code, rejection_reason)
         SELECT md5('rx:' || $1 || ':' || s.person_id || ':' || s.g)::uuid,
                ${numberSql(`((($4 + s.i - 1) * ${maxPer} + s.g)::numeric * 789012345678901 % 1156831381426176)::bigint`)},
                s.person_id, ($5::uuid[])[s.who], ($6::uuid[])[s.who], ($7::uuid[])[s.who],
                st.status, s.created + time '09:00' + (s.h % 28800) * interval '1 second', s.created + time '18:00',
                s.created, s.created + 29, ($8::uuid[])[s.med], s.quantity,
                CASE WHEN st.status = 'COMPLETED' THEN s.quantity ELSE 0 END,
                '1 таблетка 2 рази на день', CASE WHEN ($9::boolean[])[s.med] AND s.h % 3 <> 0 THEN $10::uuid END,
                lpad((s.h % 10000)::text, 4, '0'), CASE WHEN st.status = 'REJECTED' THEN 'Призначено інший препарат' END
         FROM shaped s
         CROSS JOIN LATERAL (SELECT CASE
             WHEN s.rejected IS NOT NULL THEN 'REJECTED'
             WHEN s.created + 29 >= current_date THEN CASE WHEN (s.h / 13) % 100 < 60 THEN 'ACTIVE' ELSE 'COMPLETED' END
             WHEN (s.h / 13) % 100 < 64 THEN 'COMPLETED'
             ELSE 'EXPIRED' END AS status) st
         ON CONFLICT DO NOTHING
         RETURNING id, status, created_at, quantity, program_id, medication_id)
         -- Dispenses of the COMPLETED ones: one, or two when more than one unit.
         INSERT INTO prescriptions.dispense (id, prescription_id, pharmacy_id, pharmacist_id, dispensed_at, quantity, reimbursed_amount)
         SELECT md5('dispense:' || p.id || ':' || k)::uuid, p.id, ($11::uuid[])[1 + (abs(hashtext(p.id::text || k)) % ${PHARMACIES.length})],
                ($12::uuid[])[1 + (abs(hashtext(p.id::text || k)) % ${PHARMACIES.length})],
                p.created_at + (k * 2 + 1) * interval '1 day', u.units, pm.reimbursement_per_unit * u.units
         FROM inserted p
         CROSS JOIN LATERAL generate_series(0, CASE WHEN p.quantity > 1 THEN 1 ELSE 0 END) k
         CROSS JOIN LATERAL (SELECT CASE WHEN p.quantity = 1 OR k = 0 THEN 1 ELSE p.quantity - 1 END AS units) u
         LEFT JOIN prescriptions.program_medication pm ON pm.program_id = p.program_id AND pm.medication_id = p.medication_id
         WHERE p.status = 'COMPLETED'
         ON CONFLICT DO NOTHING`,
        [
          seed,
          people,
          maxPer,
          start,
          prescribers.doctor,
          prescribers.division,
          prescribers.legal,
          meds,
          covered,
          PROGRAMS.affordable.id,
          PHARMACIES.map((x) => x.id),
          PHARMACIES.map((x) => PHARMACISTS.find((y) => y.pharmacyId === x.id)!.id),
        ],
      );
      o.progress?.(
        `prescriptions: ${Math.min(start + batch, o.persons.length).toLocaleString('en')} of ${o.persons.length.toLocaleString('en')} people (${Date.now() - t} ms)`,
      );
    }
    await q.query('ANALYZE prescriptions.prescription');
    await q.query('ANALYZE prescriptions.dispense');
    const [{ p, d }] = await q.query(`SELECT (SELECT count(*) FROM prescriptions.prescription) AS p, (SELECT count(*) FROM prescriptions.dispense) AS d`);
    return { prescriptions: Number(p), dispenses: Number(d) };
  } finally {
    await q.release();
  }
}
