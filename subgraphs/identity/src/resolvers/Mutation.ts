import type { IdentityContext } from '../context';
import type { UpdateAddressesInput, UpdateContactsInput, UpdateDocumentsInput, UpdateEmergencyContactInput } from '../services/PersonUpdateService';

/** Mutation root: each change of personal data goes through PersonUpdateService. */
export const Mutation = {
  updateContacts: (_: unknown, { input }: { input: UpdateContactsInput }, ctx: IdentityContext) => ctx.updates.updateContacts(input),
  updateAddresses: (_: unknown, { input }: { input: UpdateAddressesInput }, ctx: IdentityContext) => ctx.updates.updateAddresses(input),
  updateDocuments: (_: unknown, { input }: { input: UpdateDocumentsInput }, ctx: IdentityContext) => ctx.updates.updateDocuments(input),
  updateEmergencyContact: (_: unknown, { input }: { input: UpdateEmergencyContactInput }, ctx: IdentityContext) => ctx.updates.updateEmergencyContact(input),
};
