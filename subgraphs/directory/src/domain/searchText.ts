/**
 * Text normalisation for search. Stored keys and query terms go through the same functions, in
 * TypeScript, so that PostgreSQL never has to agree with us on case folding or on what an
 * apostrophe is (PGlite and the server may use different locales).
 *
 * @packageDocumentation
 */

// Apostrophe look-alikes people type in Ukrainian names (Марʼяна, Марʹяна, Мар'яна, Мар’яна).
const APOSTROPHES = /['ʼ’‘`ʹ]/gu;

// Latin letters that look like Cyrillic ones, as typed with the wrong keyboard layout in the
// middle of a Cyrillic word ("Ivan" stays Latin; "Кoваль" with a Latin o does not).
const HOMOGLYPHS: Record<string, string> = {
  a: 'а',
  c: 'с',
  e: 'е',
  i: 'і',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  k: 'к',
  m: 'м',
  h: 'н',
  t: 'т',
  b: 'в',
};

// Russian letters a Ukrainian name never has, mapped to the nearest Ukrainian spelling so that
// "Кирилл"-style input still finds "Кирило" by similarity.
const RUSSIAN: Record<string, string> = { ё: 'е', ы: 'и', э: 'е', ъ: '' };

const CYRILLIC = /\p{Script=Cyrillic}/u;

/** Lower-cases and cleans one word: homoglyphs to Cyrillic (only in mixed words), Russian letters mapped. */
function foldWord(word: string): string {
  const lower = word.toLocaleLowerCase('uk');
  const mixed = CYRILLIC.test(lower);
  let out = '';
  for (const ch of lower) {
    if (mixed && HOMOGLYPHS[ch]) out += HOMOGLYPHS[ch];
    else if (RUSSIAN[ch] !== undefined) out += RUSSIAN[ch];
    else out += ch;
  }
  return out;
}

/**
 * Splits free text into normalised words: lower case, apostrophes dropped, hyphens and every
 * other non-letter non-digit treated as a separator ("Софія-Марія" is two words).
 *
 * @param text - a name or a query as typed
 */
export function searchWords(text: string): string[] {
  return text
    .normalize('NFC')
    .replace(APOSTROPHES, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(foldWord)
    .filter(Boolean);
}

/**
 * The key name search matches against: the normalised words of last, first and second name,
 * each preceded by a space (`" шевченко олена петрівна"`), so a word prefix is the SQL pattern
 * `'% ' || prefix || '%'` and needs no regular expression.
 */
export function nameKey(lastName: string, firstName: string, secondName: string | null): string {
  return searchWords([lastName, firstName, secondName ?? ''].join(' '))
    .map((w) => ` ${w}`)
    .join('');
}

// The Ukrainian alphabet in its dictionary order. Unicode puts є, і, ї, ґ after я, so a plain
// code-point ("C" collation) sort would list Іваненко after Яковенко.
const ALPHABET = 'абвгґдеєжзиіїйклмнопрстуфхцчшщьюя';
const RANK = new Map([...ALPHABET].map((ch, i) => [ch, String.fromCodePoint(0x100 + i)]));

/**
 * A string whose byte order (PostgreSQL `COLLATE "C"`) is the Ukrainian dictionary order of
 * the full name: last, then first, then second name. Deterministic and locale-free, which is
 * what a pagination cursor needs.
 */
export function sortKey(lastName: string, firstName: string, secondName: string | null): string {
  return [lastName, firstName, secondName ?? ''].map((part) => [...searchWords(part).join(' ')].map((ch) => RANK.get(ch) ?? ch).join('')).join('\u0001');
}

// "м. Київ", "с. Яблунів", "смт Ворохта": the type prefix is not part of the name.
const SETTLEMENT_PREFIX = /^\s*(?:м|місто|с|село|смт|селище|сел|с-ще)(?:\.|\s)\s*/iu;
// "Львівська область", "Львівська обл.": the suffix is not part of the name either.
const AREA_SUFFIX = /\s+(?:область|обл\.?)\s*$/iu;

/** Search form of a settlement name: "м. Київ" and "КИЇВ" both give "київ". */
export function placeKey(settlement: string): string {
  return searchWords(settlement.replace(SETTLEMENT_PREFIX, '')).join(' ');
}

/** Search form of an oblast: "Львівська", "ЛЬВІВСЬКА ОБЛ." and "Львівська область" give "львівська"; "м. Київ" gives "київ". */
export function areaKey(area: string): string {
  return placeKey(area.replace(AREA_SUFFIX, ''));
}
