import type { EntityManager } from 'typeorm';

/** Which doctors' listing rows to rebuild: some ids, or everyone (after a bulk load). */
export type ListingScope = { doctorIds: readonly string[] } | 'all';

// A division counts for a doctor only when it is ACTIVE and belongs to the doctor's own legal
// entity (domain.md: "the division is ACTIVE and belongs to the same legal entity").
const LISTED_DIVISION = `
  directory.doctor_division dd
  JOIN directory.division v ON v.id = dd.division_id AND v.status = 'ACTIVE'`;

/**
 * Rebuilds the derived search rows (`doctor_listing`, `doctor_listing_place`,
 * `doctor_listing_word`, and adds new spellings to `name_word`) of some doctors
 * from the source tables. Call it inside the transaction that changed the source rows, with
 * that transaction's manager: the listing then changes atomically with them, and PGlite (one
 * transaction at a time) never waits on a second connection.
 *
 * The listing rule lives here and only here: APPROVED doctor, ACTIVE legal entity, at least
 * one ACTIVE division of that legal entity.
 */
export class ListingRefresher {
  /**
   * Deletes and re-inserts the listing rows of the doctors in `scope`. Rows are inserted in the
   * order searches read them (listing alphabetically, places by settlement, words by word), so
   * after a bulk load a page, a neighbourhood or the words of one initial sit in few heap pages.
   */
  async refresh(manager: EntityManager, scope: ListingScope): Promise<void> {
    if (scope !== 'all' && scope.doctorIds.length === 0) return;
    const params = scope === 'all' ? [] : [scope.doctorIds];
    const only = (column: string) => (scope === 'all' ? 'true' : `${column} = ANY($1::uuid[])`);

    await manager.query(`DELETE FROM directory.doctor_listing_place WHERE ${only('doctor_id')}`, params);
    await manager.query(`DELETE FROM directory.doctor_listing_word WHERE ${only('doctor_id')}`, params);
    await manager.query(`DELETE FROM directory.doctor_listing WHERE ${only('doctor_id')}`, params);
    await manager.query(
      `INSERT INTO directory.doctor_listing
         (doctor_id, legal_entity_id, speciality, name_key, sort_key, accepting_new_patients, place_keys)
       SELECT d.id, d.legal_entity_id, d.speciality, d.search_name, d.sort_name, d.accepting_new_patients, k.keys
       FROM directory.doctor d
       JOIN directory.legal_entity le ON le.id = d.legal_entity_id AND le.status = 'ACTIVE'
       CROSS JOIN LATERAL (
         SELECT array_agg(DISTINCT key ORDER BY key) AS keys
         FROM ${LISTED_DIVISION}
         CROSS JOIN LATERAL unnest(ARRAY[
           'd:' || v.id::text, 's:' || v.settlement_key, 'a:' || v.area_key, 'as:' || v.area_key || '/' || v.settlement_key
         ]) AS key
         WHERE dd.doctor_id = d.id AND v.legal_entity_id = d.legal_entity_id
       ) k
       WHERE d.status = 'APPROVED' AND k.keys IS NOT NULL AND ${only('d.id')}
       ORDER BY d.sort_name, d.id`,
      params,
    );
    await manager.query(
      `INSERT INTO directory.doctor_listing_place
         (doctor_id, division_id, settlement_key, area_key, latitude, longitude, earth, legal_entity_id, speciality, accepting_new_patients)
       SELECT l.doctor_id, v.id, v.settlement_key, v.area_key, v.latitude, v.longitude, public.ll_to_earth(v.latitude, v.longitude),
              l.legal_entity_id, l.speciality, l.accepting_new_patients
       FROM directory.doctor_listing l
       JOIN directory.doctor_division dd ON dd.doctor_id = l.doctor_id
       JOIN directory.division v ON v.id = dd.division_id AND v.status = 'ACTIVE' AND v.legal_entity_id = l.legal_entity_id
       WHERE ${only('l.doctor_id')}
       ORDER BY v.area_key, v.settlement_key, v.latitude`,
      params,
    );
    await manager.query(
      `INSERT INTO directory.doctor_listing_word (word, doctor_id)
       SELECT DISTINCT w.word, l.doctor_id
       FROM directory.doctor_listing l
       CROSS JOIN LATERAL unnest(string_to_array(btrim(l.name_key), ' ')) AS w(word)
       WHERE w.word <> '' AND ${only('l.doctor_id')}
       ORDER BY w.word`,
      params,
    );
    // The spelling dictionary only grows: a word nobody bears any more matches no doctor.
    await manager.query(
      `INSERT INTO directory.name_word (word)
       SELECT DISTINCT word FROM directory.doctor_listing_word WHERE ${only('doctor_id')}
       ON CONFLICT (word) DO NOTHING`,
      params,
    );
  }

  /** Ids of the doctors who work at any of these divisions. */
  async doctorsOfDivisions(manager: EntityManager, divisionIds: readonly string[]): Promise<string[]> {
    const rows = (await manager.query('SELECT DISTINCT doctor_id AS id FROM directory.doctor_division WHERE division_id = ANY($1::uuid[])', [
      divisionIds,
    ])) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Ids of the doctors employed by any of these legal entities. */
  async doctorsOfLegalEntities(manager: EntityManager, legalEntityIds: readonly string[]): Promise<string[]> {
    const rows = (await manager.query('SELECT id FROM directory.doctor WHERE legal_entity_id = ANY($1::uuid[])', [legalEntityIds])) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }
}
