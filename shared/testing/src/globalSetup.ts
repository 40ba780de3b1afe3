import { ensurePgliteTemplate, testDatabaseServer } from './testDatabase';

/** jest globalSetup: prepare the embedded database template once for all workers. */
export default async function globalSetup(): Promise<void> {
  if (!testDatabaseServer()) await ensurePgliteTemplate();
}
