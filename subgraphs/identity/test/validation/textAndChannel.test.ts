/**
 * Property tests of the validators added with the mutations: free-text length and the
 * preferred channel of communication.
 */
import fc from 'fast-check';
import { TEXT_MAX_LENGTH, ValidationCode, validatePreferredChannel, validateTextLength, type PhoneInput } from '../../src/domain/validation';

const phoneArb: fc.Arbitrary<PhoneInput> = fc.record({ type: fc.constantFrom('MOBILE' as const, 'LAND_LINE' as const), number: fc.constant('+380501234567') });
const emailArb = fc.option(fc.constantFrom('a@example.com', 'olena@ukr.net', '', '  '), { nil: null });

describe('validateTextLength', () => {
  it('accepts up to the limit in code points and rejects beyond it, on the given path', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 2 * TEXT_MAX_LENGTH }), fc.array(fc.string(), { maxLength: 3 }), (text, path) => {
        const errors = validateTextLength(text, path);
        if ([...text].length <= TEXT_MAX_LENGTH) expect(errors).toEqual([]);
        else expect(errors).toEqual([expect.objectContaining({ code: ValidationCode.TEXT_TOO_LONG, field: path })]);
      }),
    );
  });

  it('counts a Cyrillic letter or an emoji as one character', () => {
    expect(validateTextLength('я'.repeat(TEXT_MAX_LENGTH), ['f'])).toEqual([]);
    expect(validateTextLength('😀'.repeat(TEXT_MAX_LENGTH), ['f'])).toEqual([]);
    expect(validateTextLength('😀'.repeat(TEXT_MAX_LENGTH + 1), ['f'])).toHaveLength(1);
  });

  it('leaves absence to other checks and honours a custom limit', () => {
    expect(validateTextLength(null, ['f'])).toEqual([]);
    expect(validateTextLength(undefined, ['f'])).toEqual([]);
    expect(validateTextLength('abcd', ['f'], 3)).toHaveLength(1);
  });
});

describe('validatePreferredChannel', () => {
  it('rejects exactly a channel the person cannot be reached on', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('EMAIL' as const, 'PHONE' as const, null, undefined),
        emailArb,
        fc.array(phoneArb, { maxLength: 2 }),
        (channel, email, phones) => {
          const errors = validatePreferredChannel({ preferredWayOfCommunication: channel, email, phones }, ['input', 'preferredWayOfCommunication']);
          const reachable = channel == null || (channel === 'EMAIL' ? email !== null && email.trim() !== '' : phones.length > 0);
          expect(errors).toEqual(
            reachable ? [] : [expect.objectContaining({ code: 'PREFERRED_CHANNEL_UNAVAILABLE', field: ['input', 'preferredWayOfCommunication'] })],
          );
        },
      ),
    );
  });
});
