/**
 * Migration ConfidantIndexWithoutPendingList: the representation lookup's GIN index takes new
 * entries straight into the index (fastupdate off), so a lookup never scans a pending list —
 * after a bulk load with autovacuum behind, that scan made every lookup cost ~50× more.
 */
import { Client } from 'pg';
import { useSubgraph } from '@pc/testing';
import { subgraph } from '../src/subgraph';

const sg = useSubgraph(subgraph);

describe('person_confidants_gin', () => {
  it('is built without a pending list (fastupdate = off)', async () => {
    const client = new Client({ connectionString: sg.database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ reloptions: string[] | null }>(
        `SELECT c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'identity' AND c.relname = 'person_confidants_gin'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].reloptions).toContain('fastupdate=off');
    } finally {
      await client.end();
    }
  });
});
