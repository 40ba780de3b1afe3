import type { DataSource } from 'typeorm';
import { DEMO_PERSONAS } from '@pc/demo';
import type { Logger } from '@pc/logging';
import { Person } from '../entities/Person';

/** A valid RNOKPP for a birth date and gender (checksum per domain.md), deterministic by `serial`. */
export function demoTaxId(birthDate: string, gender: 'MALE' | 'FEMALE', serial: number): string {
  const days = Math.round((Date.parse(`${birthDate}T00:00:00Z`) - Date.parse('1899-12-31T00:00:00Z')) / 86_400_000);
  const genderDigit = gender === 'MALE' ? 1 : 2;
  const first9 = `${String(days).padStart(5, '0')}${String(serial % 1000).padStart(3, '0')}${genderDigit}`;
  const weights = [-1, 5, 7, 9, 4, 6, 10, 5, 7];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first9[i]), 0);
  return `${first9}${((sum % 11) + 11) % 11 % 10}`;
}

type DemoPerson = Pick<Person, 'id' | 'firstName' | 'lastName' | 'secondName' | 'birthDate' | 'gender' | 'email' | 'verificationStatus'>;

const personas: DemoPerson[] = [
  { id: DEMO_PERSONAS.patient.id, firstName: 'Олена', lastName: 'Коваленко', secondName: 'Петрівна', birthDate: '1985-04-12', gender: 'FEMALE', email: 'olena.kovalenko@example.com', verificationStatus: 'VERIFIED' },
  { id: DEMO_PERSONAS.other.id, firstName: 'Андрій', lastName: 'Шевчук', secondName: 'Іванович', birthDate: '1979-09-30', gender: 'MALE', email: 'andrii.shevchuk@example.com', verificationStatus: 'VERIFIED' },
  { id: DEMO_PERSONAS.teen.id, firstName: 'Марія', lastName: 'Бондар', secondName: 'Андріївна', birthDate: '2011-03-15', gender: 'FEMALE', email: null, verificationStatus: 'VERIFIED' },
  { id: DEMO_PERSONAS.represented.id, firstName: 'Петро', lastName: 'Гнатюк', secondName: 'Степанович', birthDate: '1950-01-20', gender: 'MALE', email: null, verificationStatus: 'VERIFIED' },
];

/** Writes the demo personas (idempotent: existing rows are left as they are). */
export async function seedDemo(ds: DataSource, log: Logger): Promise<void> {
  const rows = personas.map((p, i) => ({ ...p, taxId: demoTaxId(p.birthDate, p.gender, 100 + i), noTaxId: false, unzr: null, version: 1 }));
  await ds.createQueryBuilder().insert().into(Person).values(rows).orIgnore().execute();
  log.info({ persons: rows.length }, 'identity demo data ready');
}
