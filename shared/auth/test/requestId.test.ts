import { acceptRequestId } from '../src';

describe('acceptRequestId', () => {
  it('passes on ids made of letters, digits and . _ : - up to 128 characters', () => {
    expect(acceptRequestId('3f0c2a9e-7f8d-4ce0-9ade-9d8f7e6c5be0')).toBe('3f0c2a9e-7f8d-4ce0-9ade-9d8f7e6c5be0');
    expect(acceptRequestId(['trace:abc.1_2', 'second'])).toBe('trace:abc.1_2');
    expect(acceptRequestId('a'.repeat(128))).toBe('a'.repeat(128));
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['empty', ''],
    ['spaces', 'a b'],
    ['a newline', 'a\nb'],
    ['non-ASCII', 'запит'],
    ['JSON', '{"a":1}'],
    ['missing', undefined],
    ['null', null],
  ])('refuses %s', (_what, value) => {
    expect(acceptRequestId(value as never)).toBeUndefined();
  });
});
