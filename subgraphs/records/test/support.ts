import { randomUUID } from 'node:crypto';
import type { Caller } from '@pc/auth';
import { DEMO_CABINETS } from '@pc/demo';

/** Callers as the gateway forwards them. */
export const callers = {
  patient: (personId: string, scopes = ['medical:read']): Caller => ({
    subject: personId,
    roles: ['PATIENT'],
    scopes,
    clientId: DEMO_CABINETS.state.id,
    tokenId: randomUUID(),
    requestId: randomUUID(),
  }),
  doctor: (doctorId: string, scopes = ['medical:write']): Caller => ({
    subject: doctorId,
    roles: ['DOCTOR'],
    scopes,
    clientId: null,
    tokenId: randomUUID(),
    requestId: randomUUID(),
  }),
};

/** The report fields the tests read. */
export const REPORT_FIELDS =
  'id category status issuedAt conclusion code { system code display } observations { code { code display } value unit interpretation referenceRange { low high text } }';

export const RECORD_ENCOUNTER = `mutation($i: RecordEncounterInput!) { recordEncounter(input: $i) {
  encounter { id date class reasons { system code display } conditions { id code { system code display } clinicalStatus verificationStatus onsetDate } }
  userErrors { field code } } }`;
export const RECORD_REPORT = `mutation($i: RecordDiagnosticReportInput!) { recordDiagnosticReport(input: $i) { diagnosticReport { ${REPORT_FIELDS} } userErrors { field code } } }`;
export const MARK = `mutation($id: ID!) { markEnteredInError(input: { id: $id }) {
  encounter { id conditions { verificationStatus } } condition { id verificationStatus } diagnosticReport { id status } userErrors { code } } }`;
