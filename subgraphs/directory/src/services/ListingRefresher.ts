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
   * Brings the listing rows of the doctors in `scope` up to date **in place**: per table, one
   * statement computes the rows the rule wants, deletes the rows it no longer wants, inserts new
   * ones and updates only rows whose columns differ (`ON CONFLICT … DO UPDATE … WHERE … IS
   * DISTINCT FROM …`). A rebuild that changes nothing writes nothing, a flipped
   * `accepting_new_patients` is an update of the rows that carry it (HOT: no index holds it), and
   * no row is deleted to be inserted again — the listing tables stay free of dead rows and keep
   * their statistics and visibility map. New rows are inserted in the order searches read them
   * (listing alphabetically, places by settlement, words by word), so after a bulk load a page, a
   * neighbourhood or the words of one initial sit in few heap pages.
   *
   * Three statements whatever the scope; deleting a listing row cascades to its places and words.
   * A place row's `multi_place` (the doctor has more than one listed place; the distance total
   * counts only those rows distinctly, see DoctorSearch) is computed over all the doctor's places
   * in the statement that adds or removes one of them, so every row of a doctor gaining or losing
   * a place is updated with it — the scope is always whole doctors.
   */
  async refresh(manager: EntityManager, scope: ListingScope): Promise<void> {
    if (scope !== 'all' && scope.doctorIds.length === 0) return;
    const params = scope === 'all' ? [] : [scope.doctorIds];
    const only = (column: string) => (scope === 'all' ? 'true' : `${column} = ANY($1::uuid[])`);

    await manager.query(
      `WITH want AS (
         SELECT d.id AS doctor_id, d.legal_entity_id, d.speciality, d.search_name AS name_key, d.sort_name AS sort_key,
                d.accepting_new_patients, k.keys AS place_keys
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
       ), gone AS (
         DELETE FROM directory.doctor_listing l
         WHERE ${only('l.doctor_id')} AND NOT EXISTS (SELECT 1 FROM want w WHERE w.doctor_id = l.doctor_id)
       )
       INSERT INTO directory.doctor_listing AS t
         (doctor_id, legal_entity_id, speciality, name_key, sort_key, accepting_new_patients, place_keys)
       SELECT doctor_id, legal_entity_id, speciality, name_key, sort_key, accepting_new_patients, place_keys
       FROM want ORDER BY sort_key, doctor_id
       ON CONFLICT (doctor_id) DO UPDATE SET
         legal_entity_id = EXCLUDED.legal_entity_id, speciality = EXCLUDED.speciality, name_key = EXCLUDED.name_key,
         sort_key = EXCLUDED.sort_key, accepting_new_patients = EXCLUDED.accepting_new_patients, place_keys = EXCLUDED.place_keys
       WHERE (t.legal_entity_id, t.speciality, t.name_key, t.sort_key, t.accepting_new_patients, t.place_keys)
         IS DISTINCT FROM (EXCLUDED.legal_entity_id, EXCLUDED.speciality, EXCLUDED.name_key, EXCLUDED.sort_key,
                           EXCLUDED.accepting_new_patients, EXCLUDED.place_keys)`,
      params,
    );
    await manager.query(
      `WITH want AS (
         SELECT l.doctor_id, v.id AS division_id, v.settlement_key, v.area_key, v.latitude, v.longitude,
                l.legal_entity_id, l.speciality, l.accepting_new_patients,
                count(*) OVER (PARTITION BY l.doctor_id) > 1 AS multi_place
         FROM directory.doctor_listing l
         JOIN directory.doctor_division dd ON dd.doctor_id = l.doctor_id
         JOIN directory.division v ON v.id = dd.division_id AND v.status = 'ACTIVE' AND v.legal_entity_id = l.legal_entity_id
         WHERE ${only('l.doctor_id')}
       ), gone AS (
         DELETE FROM directory.doctor_listing_place p
         WHERE ${only('p.doctor_id')}
           AND NOT EXISTS (SELECT 1 FROM want w WHERE w.doctor_id = p.doctor_id AND w.division_id = p.division_id)
       )
       INSERT INTO directory.doctor_listing_place AS t
         (doctor_id, division_id, settlement_key, area_key, latitude, longitude, earth, legal_entity_id, speciality, accepting_new_patients, multi_place)
       SELECT doctor_id, division_id, settlement_key, area_key, latitude, longitude, public.ll_to_earth(latitude, longitude),
              legal_entity_id, speciality, accepting_new_patients, multi_place
       FROM want ORDER BY area_key, settlement_key, latitude
       ON CONFLICT (doctor_id, division_id) DO UPDATE SET
         settlement_key = EXCLUDED.settlement_key, area_key = EXCLUDED.area_key, latitude = EXCLUDED.latitude,
         longitude = EXCLUDED.longitude, earth = EXCLUDED.earth, legal_entity_id = EXCLUDED.legal_entity_id,
         speciality = EXCLUDED.speciality, accepting_new_patients = EXCLUDED.accepting_new_patients, multi_place = EXCLUDED.multi_place
       WHERE (t.settlement_key, t.area_key, t.latitude, t.longitude, t.legal_entity_id, t.speciality, t.accepting_new_patients, t.multi_place)
         IS DISTINCT FROM (EXCLUDED.settlement_key, EXCLUDED.area_key, EXCLUDED.latitude, EXCLUDED.longitude,
                           EXCLUDED.legal_entity_id, EXCLUDED.speciality, EXCLUDED.accepting_new_patients, EXCLUDED.multi_place)`,
      params,
    );
    // The spelling dictionary only grows (a word nobody bears any more matches no doctor) and
    // holds every listed word already, so only the word rows just written can bring it a new
    // word: an unchanged rebuild or a flipped acceptance adds nothing to it and reads no more.
    await manager.query(
      `WITH want AS (
         SELECT DISTINCT w.word COLLATE "C" AS word, l.doctor_id, l.speciality
         FROM directory.doctor_listing l
         CROSS JOIN LATERAL unnest(string_to_array(btrim(l.name_key), ' ')) AS w(word)
         WHERE w.word <> '' AND ${only('l.doctor_id')}
       ), gone AS (
         DELETE FROM directory.doctor_listing_word lw
         WHERE ${only('lw.doctor_id')}
           AND NOT EXISTS (SELECT 1 FROM want w WHERE w.word = lw.word AND w.doctor_id = lw.doctor_id)
       ), written AS (
         INSERT INTO directory.doctor_listing_word AS t (word, doctor_id, speciality)
         SELECT word, doctor_id, speciality FROM want ORDER BY word
         ON CONFLICT (word, doctor_id) DO UPDATE SET speciality = EXCLUDED.speciality
         WHERE t.speciality IS DISTINCT FROM EXCLUDED.speciality
         RETURNING t.word
       )
       INSERT INTO directory.name_word (word)
       SELECT DISTINCT word FROM written
       ON CONFLICT (word) DO NOTHING`,
      params,
    );
  }

  /** Ids of the doctors who work at any of these divisions. */
  async doctorsOfDivisions(manager: EntityManager, divisionIds: readonly string[]): Promise<string[]> {
    const rows = (await manager.query('SELECT DISTINCT doctor_id AS id FROM directory.doctor_division WHERE division_id = ANY($1::uuid[])', [divisionIds])) as {
      id: string;
    }[];
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
