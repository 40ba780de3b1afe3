import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The code lists the subgraph ships as data files in subgraphs/records/data (each names its
 * source): ICD-10 and ICPC-2 subsets and the diagnostic service catalogue with its tests, units
 * and reference ranges. The migration loads them into tables; these readers serve the migration,
 * the demo seed and the generator.
 */

/** A diagnosis code system of the shipped lists. */
export type DiagnosisSystem = 'ICD10' | 'ICPC2';

/** One test of a service: quantitative (unit, low, high) or qualitative (the allowed values, the normal one in `text`). */
export interface CatalogueTest {
  code: string;
  display: string;
  unit?: string;
  low?: number;
  high?: number;
  text?: string;
  values?: string[];
}

/** One service of the catalogue. */
export interface CatalogueService {
  code: string;
  display: string;
  category: 'LABORATORY' | 'IMAGING' | 'OTHER';
  observations: CatalogueTest[];
}

const DATA = join(__dirname, '..', '..', 'data');
const read = <T>(file: string): T => JSON.parse(readFileSync(join(DATA, file), 'utf8')) as T;

/** The codes of a shipped diagnosis list, [code, display] pairs. */
export function diagnosisCodes(system: DiagnosisSystem): [string, string][] {
  return read<{ codes: [string, string][] }>(system === 'ICD10' ? 'icd10.json' : 'icpc2.json').codes;
}

/** The shipped service catalogue. */
export function serviceCatalogue(): CatalogueService[] {
  return read<{ services: CatalogueService[] }>('lab-services.json').services;
}
