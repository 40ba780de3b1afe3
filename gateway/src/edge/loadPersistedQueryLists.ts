import { readListAudiences, readManifests } from '@pc/schema';
import type { PersistedQueryList, PersistedQueryLists } from './persistedQueryGuard';

/**
 * Reads the committed lists (`schema/persisted-queries/<folder>.json`) and sorts them by whom
 * `schema/operations/cabinets.json` assigns each folder to: a cabinet's client id, the doctors'
 * role, or anonymous callers. The state cabinet is folder `state`; there must be exactly one
 * doctors' list and one anonymous list.
 */
export function loadPersistedQueryLists(): PersistedQueryLists {
  const audiences = readListAudiences();
  const manifests = readManifests();
  const lists = new Map<string, PersistedQueryList>();
  const byCabinet = new Map<string, PersistedQueryList>();
  let doctors: PersistedQueryList | undefined;
  let anonymous: PersistedQueryList | undefined;
  for (const [folder, audience] of Object.entries(audiences)) {
    const manifest = manifests[folder];
    if (!manifest) throw new Error(`schema/persisted-queries/${folder}.json is missing (run npm run persisted-queries)`);
    const list: PersistedQueryList = new Map(manifest.operations.map((op) => [op.id, op.body]));
    lists.set(folder, list);
    if (audience.kind === 'cabinet') byCabinet.set(audience.cabinetId, list);
    else if (audience.kind === 'role') {
      if (doctors) throw new Error("schema/operations/cabinets.json names two doctors' lists");
      doctors = list;
    } else {
      if (anonymous) throw new Error('schema/operations/cabinets.json names two anonymous lists');
      anonymous = list;
    }
  }
  const state = audiences.state;
  if (state?.kind !== 'cabinet') throw new Error('schema/operations/cabinets.json names no "state" cabinet');
  if (!doctors) throw new Error('schema/operations/cabinets.json names no doctors\' list ("role:DOCTOR")');
  if (!anonymous) throw new Error('schema/operations/cabinets.json names no anonymous list ("anonymous")');
  return { lists, byCabinet, stateCabinetId: state.cabinetId, doctors, anonymous };
}
