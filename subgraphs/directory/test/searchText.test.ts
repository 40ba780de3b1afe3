import { areaKey, nameKey, placeKey, searchWords, sortKey } from '../src/domain/searchText';

describe('searchWords', () => {
  it('lower-cases, drops apostrophes of every kind, splits on hyphens and punctuation', () => {
    expect(searchWords("Марʼяна Мар'яна Мар’яна Марʹяна")).toEqual(['маряна', 'маряна', 'маряна', 'маряна']);
    expect(searchWords('Софія-Марія  ШЕВЧЕНКО,  (Петрівна)')).toEqual(['софія', 'марія', 'шевченко', 'петрівна']);
    expect(searchWords('%_\\')).toEqual([]);
  });

  it('turns Latin look-alikes into Cyrillic only inside Cyrillic words', () => {
    expect(searchWords('Шeвчeнкo')).toEqual(['шевченко']); // Latin e and o
    expect(searchWords('Ivan Petrenko')).toEqual(['ivan', 'petrenko']);
  });

  it('maps letters Ukrainian names never have to their Ukrainian neighbours', () => {
    expect(searchWords('Сэмён')).toEqual(['семен']);
  });
});

describe('nameKey', () => {
  it('is the name words each preceded by a space, so a word prefix is a plain LIKE pattern', () => {
    expect(nameKey('Шевченко', 'Олена', 'Петрівна')).toBe(' шевченко олена петрівна');
    expect(nameKey('Яковенко', 'Софія-Марія', null)).toBe(' яковенко софія марія');
  });
});

describe('sortKey', () => {
  const order = (names: [string, string, string | null][]) => [...names].sort((a, b) => (sortKey(...a) < sortKey(...b) ? -1 : 1)).map((n) => n[0]);

  it('orders by the Ukrainian alphabet, which Unicode code points do not', () => {
    expect(
      order([
        ['Яковенко', 'А', null],
        ['Іваненко', 'А', null],
        ['Ґудзь', 'А', null],
        ['Гнатюк', 'А', null],
        ['Єременко', 'А', null],
        ['Їжак', 'А', null],
        ['Ейсмонт', 'А', null],
      ]),
    ).toEqual(['Гнатюк', 'Ґудзь', 'Ейсмонт', 'Єременко', 'Іваненко', 'Їжак', 'Яковенко']);
  });

  it('compares last names first, whole words before longer ones, then first and second names', () => {
    // "Коваль Яна" before "Ковальчук Анна": the whole last name decides before the first name.
    expect(
      order([
        ['Ковальчук', 'Анна', null],
        ['Коваль', 'Яна', null],
        ['Коваленко', 'Яна', null],
      ]),
    ).toEqual(['Коваленко', 'Коваль', 'Ковальчук']);
    expect(sortKey('Коваль', 'Анна', null) < sortKey('Коваль', 'Анна', 'Петрівна')).toBe(true);
    expect(sortKey('Коваль', 'Анна', 'Петрівна') < sortKey('Коваль', 'Яна', null)).toBe(true);
  });

  it('ignores case and apostrophes', () => {
    expect(sortKey('МАРʼЯНЕНКО', 'ЮЛІЯ', null)).toBe(sortKey("Мар'яненко", 'Юлія', null));
  });
});

describe('placeKey and areaKey', () => {
  it('drop settlement type prefixes and case', () => {
    for (const s of ['Київ', 'м. Київ', 'М.КИЇВ', 'місто Київ', ' київ ']) expect(placeKey(s)).toBe('київ');
    expect(placeKey('смт Ворохта')).toBe('ворохта');
    expect(placeKey('с. Петропавлівська Борщагівка')).toBe('петропавлівська борщагівка');
    expect(placeKey('Біла Церква')).toBe('біла церква');
  });

  it('drop "область" / "обл." from oblasts; Kyiv city stays "київ"', () => {
    for (const a of ['Львівська', 'Львівська область', 'ЛЬВІВСЬКА ОБЛ.', 'львівська обл']) expect(areaKey(a)).toBe('львівська');
    expect(areaKey('м. Київ')).toBe('київ');
    expect(areaKey('Київська область')).toBe('київська');
  });
});
