import { readCabinetFolders, readManifests } from '@pc/schema';
import type { PersistedQueryList } from './persistedQueryGuard';

/**
 * Reads the committed lists (`schema/persisted-queries/<folder>.json`) and keys them by the
 * cabinet id that `schema/operations/cabinets.json` assigns to each folder.
 */
export function loadPersistedQueryLists(): { lists: Map<string, PersistedQueryList>; stateCabinetId: string } {
  const folders = readCabinetFolders();
  const manifests = readManifests();
  const lists = new Map<string, PersistedQueryList>();
  for (const [folder, cabinetId] of Object.entries(folders)) {
    lists.set(cabinetId, new Map((manifests[folder]?.operations ?? []).map((op) => [op.id, op.body])));
  }
  const stateCabinetId = folders.state;
  if (!stateCabinetId) throw new Error('schema/operations/cabinets.json names no "state" cabinet');
  return { lists, stateCabinetId };
}
