/**
 * Person names (first, last, patronymic), also those of an emergency contact.
 *
 * @packageDocumentation
 */
import type { UserError } from '@pc/errors';
import { userError, ValidationCode } from './codes';
import { UA_LOWER, UA_UPPER } from './common';

const NAME_CHARS = new RegExp(`^[${UA_UPPER}${UA_LOWER}'ʼ\\- ]+$`, 'u');
const NAME_LETTER = new RegExp(`[${UA_UPPER}${UA_LOWER}]`, 'u');
const NAME_MAX_LENGTH = 255;

/**
 * Validates a person name (first, last or patronymic): Ukrainian letters, apostrophe (ʼ or '),
 * hyphen and space, 1 to 255 characters, at least one letter.
 *
 * @param value - the name as entered
 * @param path - path of the name field
 */
export function validateName(value: string, path: readonly string[]): UserError[] {
  const ok = typeof value === 'string' && [...value].length <= NAME_MAX_LENGTH && NAME_CHARS.test(value) && NAME_LETTER.test(value);
  return ok ? [] : [userError(ValidationCode.INVALID_NAME, path)];
}
