import { Entity, PrimaryColumn } from 'typeorm';

/** A doctor receives patients at a division (of the doctor's own legal entity). */
@Entity({ name: 'doctor_division' })
export class DoctorDivision {
  @PrimaryColumn('uuid', { name: 'doctor_id' })
  doctorId: string;

  @PrimaryColumn('uuid', { name: 'division_id' })
  divisionId: string;
}
