import { randomUUID } from 'node:crypto';
import { In, type DataSource, type FindOptionsWhere } from 'typeorm';
import { requireSelfOrService, type Caller } from '@pc/auth';
import { addDays, isIsoDate } from '@pc/calendar';
import { forbidden, type UserError } from '@pc/errors';
import { PrescriptionCode, prescriptionError } from '../domain/codes';
import { connectionOf, encodeSortKeyCursor, isUuid, pageOf, pageSize, readSortKeyCursor, type Connection } from '@pc/graphql-kit';
import { newPrescriptionNumber, newVerificationCode } from '../domain/prescriptionNumber';
import { MedicalProgram } from '../entities/MedicalProgram';
import { Medication } from '../entities/Medication';
import { Prescription, type PrescriptionStatus } from '../entities/Prescription';
import { ProgramMedication } from '../entities/ProgramMedication';
import type { Loaders } from '../loaders/createLoaders';
import { mayRead, requireRole } from './authorize';
import { today, type PrescriptionsEnv } from './PrescriptionsEnv';

/** The list's name in its cursors (a cursor of another list is refused). */
const CURSOR_LIST = 'prescriptions';
/** The payload of every prescription mutation. */
export interface PrescriptionPayload {
  prescription: Prescription | null;
  userErrors: UserError[];
}

/** A Relay page of prescriptions; `totalCount` is counted only when selected. */
export interface PrescriptionPage extends Connection<Prescription> {
  totalCount: () => Promise<number>;
}

/** Input of createPrescription. */
export interface CreatePrescriptionInput {
  personId: string;
  divisionId: string;
  medication: { inn: string; dosageForm: string; strength: string };
  quantity: number;
  dosageInstruction: string;
  validFrom?: string | null;
  programId?: string | null;
}

const ID_FIELD = ['input', 'id'];
const MAX_INSTRUCTION = 1000;

/**
 * Reads of prescriptions with who may see them, and the doctor's create and reject. A patient
 * sees only their own (scope prescription:read); a doctor the ones they prescribed; services all.
 */
export class PrescriptionService {
  constructor(
    private readonly env: PrescriptionsEnv,
    private readonly loaders: Loaders,
    private readonly caller: Caller,
  ) {}

  /** The person's prescriptions, newest first, keyset-paged on (created_at, id). */
  async page(personId: string, status?: PrescriptionStatus[] | null, first?: number | null, after?: string | null): Promise<PrescriptionPage> {
    requireSelfOrService(this.caller, personId, 'prescription:read');
    const limit = pageSize(first);
    const from = after ? readSortKeyCursor(after, CURSOR_LIST) : null;
    const repo = this.env.dataSource.getRepository(Prescription);
    const qb = repo
      .createQueryBuilder('p')
      .leftJoinAndSelect('p.medication', 'medication')
      .leftJoinAndSelect('p.program', 'program')
      .where('p.person_id = :personId', { personId })
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1);
    if (status?.length) qb.andWhere('p.status IN (:...status)', { status });
    if (from) qb.andWhere('(p.created_at, p.id) < (:at, :id)', { at: from.at, id: from.id });
    const page = pageOf(await qb.getMany(), limit);
    for (const p of page.nodes) this.loaders.prescriptionById.prime(p.id, p);
    const where: FindOptionsWhere<Prescription> = status?.length ? { personId, status: In(status) } : { personId };
    return { ...connectionOf(page, (p) => encodeSortKeyCursor(CURSOR_LIST, p.createdAt, p.id)), totalCount: () => repo.countBy(where) };
  }

  /** One of the person's prescriptions; null when they have none with this id. */
  async ofPerson(personId: string, id: string): Promise<Prescription | null> {
    requireSelfOrService(this.caller, personId, 'prescription:read');
    const p = isUuid(id) ? await this.loaders.prescriptionById.load(id) : null;
    return p && p.personId === personId ? p : null;
  }

  /** A prescription referenced from another subgraph; null when not visible to the caller. */
  async byId(id: string): Promise<Prescription | null> {
    const p = isUuid(id) ? await this.loaders.prescriptionById.load(id) : null;
    return p && mayRead(this.caller, p) ? p : null;
  }

  /**
   * A doctor prescribes: the input and the catalogue are checked first, then the owners are
   * asked (identity: the person exists and is VERIFIED; directory: the doctor is APPROVED at an
   * ACTIVE legal entity and the division is its ACTIVE division; declarations, for a program:
   * the doctor holds the person's ACTIVE declaration), then one INSERT.
   */
  async create(input: CreatePrescriptionInput): Promise<PrescriptionPayload> {
    const doctorId = requireRole(this.caller, 'DOCTOR', 'prescription:write');
    const errors: UserError[] = [];
    const day = today(this.env);
    const { settings } = this.env;
    if (!isUuid(input.personId)) errors.push(prescriptionError(PrescriptionCode.PERSON_NOT_FOUND, ['input', 'personId']));
    if (!isUuid(input.divisionId)) errors.push(prescriptionError(PrescriptionCode.DIVISION_NOT_ELIGIBLE, ['input', 'divisionId']));
    const instruction = input.dosageInstruction?.trim() ?? '';
    if (!instruction || instruction.length > MAX_INSTRUCTION)
      errors.push(prescriptionError(PrescriptionCode.DOSAGE_INSTRUCTION_INVALID, ['input', 'dosageInstruction']));
    const validFrom = input.validFrom ?? day;
    if (!isIsoDate(validFrom) || validFrom < day || validFrom > addDays(day, settings.PRESCRIPTION_MAX_DAYS_AHEAD)) {
      errors.push(prescriptionError(PrescriptionCode.VALID_FROM_INVALID, ['input', 'validFrom']));
    }
    const ds = this.env.dataSource;
    const medication = await ds
      .getRepository(Medication)
      .createQueryBuilder('m')
      .where('lower(m.inn) = lower(:inn) AND lower(m.dosage_form) = lower(:form) AND lower(m.strength) = lower(:strength)', {
        inn: input.medication.inn.trim(),
        form: input.medication.dosageForm.trim(),
        strength: input.medication.strength.trim(),
      })
      .getOne();
    if (!medication) errors.push(prescriptionError(PrescriptionCode.MEDICATION_NOT_FOUND, ['input', 'medication']));
    if (!Number.isInteger(input.quantity) || input.quantity < 1 || (medication && input.quantity > medication.maxQuantity)) {
      errors.push(prescriptionError(PrescriptionCode.QUANTITY_INVALID, ['input', 'quantity']));
    }
    let programId: string | null = null;
    if (input.programId != null) {
      const program = isUuid(input.programId) ? await ds.getRepository(MedicalProgram).findOneBy({ id: input.programId, active: true }) : null;
      if (!program) errors.push(prescriptionError(PrescriptionCode.PROGRAM_NOT_FOUND, ['input', 'programId']));
      else if (medication && !(await ds.getRepository(ProgramMedication).existsBy({ programId: program.id, medicationId: medication.id }))) {
        errors.push(prescriptionError(PrescriptionCode.MEDICATION_NOT_IN_PROGRAM, ['input', 'medication']));
      }
      programId = program?.id ?? null;
    }
    if (errors.length || !medication) return { prescription: null, userErrors: errors };

    const rid = this.caller.requestId;
    const [person, { doctor, division }, declared] = await Promise.all([
      this.env.owners.person(input.personId, rid),
      this.env.owners.prescriber(doctorId, input.divisionId, rid),
      programId ? this.env.owners.hasActiveDeclaration(input.personId, doctorId, rid) : Promise.resolve(true),
    ]);
    if (!person) errors.push(prescriptionError(PrescriptionCode.PERSON_NOT_FOUND, ['input', 'personId']));
    else if (person.verificationStatus !== 'VERIFIED') errors.push(prescriptionError(PrescriptionCode.PERSON_NOT_VERIFIED, ['input', 'personId']));
    const legalEntity = doctor?.legalEntity;
    if (!doctor || doctor.status !== 'APPROVED' || !legalEntity || legalEntity.status !== 'ACTIVE') {
      errors.push(prescriptionError(PrescriptionCode.DOCTOR_NOT_ELIGIBLE, ['input']));
    } else if (!division || division.status !== 'ACTIVE' || division.legalEntityId !== legalEntity.id) {
      errors.push(prescriptionError(PrescriptionCode.DIVISION_NOT_ELIGIBLE, ['input', 'divisionId']));
    }
    if (person && !declared) errors.push(prescriptionError(PrescriptionCode.NO_ACTIVE_DECLARATION, ['input', 'programId']));
    if (errors.length || !legalEntity) return { prescription: null, userErrors: errors };

    const id = randomUUID();
    const validTo = addDays(validFrom, settings.PRESCRIPTION_VALIDITY_DAYS - 1);
    // A random number may (very rarely) collide with an existing one: the unique index refuses
    // it and a fresh number is drawn.
    for (let attempt = 1; ; attempt++) {
      try {
        const now = new Date();
        await ds.getRepository(Prescription).insert({
          id,
          number: newPrescriptionNumber(),
          personId: input.personId,
          prescriberId: doctorId,
          divisionId: input.divisionId,
          legalEntityId: legalEntity.id,
          status: 'ACTIVE',
          createdAt: now,
          updatedAt: now,
          validFrom,
          validTo,
          medicationId: medication.id,
          quantity: input.quantity,
          dispensedQuantity: 0,
          dosageInstruction: instruction,
          programId,
          verificationCode: newVerificationCode(),
          rejectionReason: null,
          codeFailures: 0,
          codeLockedUntil: null,
        });
        break;
      } catch (err) {
        const driver = (err as { driverError?: { code?: string; constraint?: string } }).driverError;
        if (attempt >= 5 || driver?.code !== '23505' || driver.constraint !== 'prescription_number_key') throw err;
      }
    }
    return { prescription: await this.reload(id), userErrors: [] };
  }

  /** The prescriber withdraws their own ACTIVE prescription, with a reason shown to the patient. */
  async reject(input: { id: string; reason: string }): Promise<PrescriptionPayload> {
    const doctorId = requireRole(this.caller, 'DOCTOR', 'prescription:write');
    const found = isUuid(input.id) ? await this.reload(input.id) : null;
    if (!found) return { prescription: null, userErrors: [prescriptionError(PrescriptionCode.PRESCRIPTION_NOT_FOUND, ID_FIELD)] };
    if (found.prescriberId !== doctorId) throw forbidden('Not your prescription');
    const reason = input.reason?.trim();
    if (!reason) return { prescription: found, userErrors: [prescriptionError(PrescriptionCode.REASON_REQUIRED, ['input', 'reason'])] };
    // Conditional on ACTIVE: a dispense or the expiry that got there first wins.
    const { affected } = await this.env.dataSource
      .getRepository(Prescription)
      .update({ id: found.id, status: 'ACTIVE' }, { status: 'REJECTED', rejectionReason: reason, updatedAt: new Date() });
    const now = await this.reload(found.id);
    if (!affected) return { prescription: now, userErrors: [prescriptionError(PrescriptionCode.PRESCRIPTION_NOT_ACTIVE, ID_FIELD)] };
    return { prescription: now, userErrors: [] };
  }

  private reload(id: string): Promise<Prescription | null> {
    return withRelations(this.env.dataSource, id);
  }
}

/**
 * The prescription with its medication and program, in one statement (TypeORM's `findOne` with
 * relations reads the id first, then the rows: two).
 */
export function withRelations(ds: DataSource, id: string): Promise<Prescription | null> {
  return ds
    .getRepository(Prescription)
    .createQueryBuilder('p')
    .leftJoinAndSelect('p.medication', 'medication')
    .leftJoinAndSelect('p.program', 'program')
    .where('p.id = :id', { id })
    .getOne();
}
