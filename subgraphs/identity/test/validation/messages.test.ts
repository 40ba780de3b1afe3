/**
 * Property tests of the identity validators of the messages of validation errors: generators build values that are valid by
 * construction, and single targeted mutations of them must be rejected with the expected code
 * and field path.
 */
import { validateAddresses, validateEmergencyContact, ValidationCode, validateTaxId, validateUnzr } from '../../src/domain/validation';

describe('error messages', () => {
  it('are short English text with a Ukrainian translation', () => {
    const errors = [
      ...validateTaxId('1', {}, ['a']),
      ...validateUnzr('x', null, ['a']),
      ...validateAddresses([], ['a']),
      ...validateEmergencyContact({ firstName: '', lastName: 'Ы', phones: [] }, ['a']),
    ];
    expect(errors.length).toBeGreaterThan(3);
    for (const e of errors) {
      expect(Object.values(ValidationCode)).toContain(e.code);
      expect(e.message).toMatch(/^[ -~]+ \/ [^a-zA-Z]+/);
    }
  });
});
