// The translator's plural forms (docs/portal.md "Languages"): a text with a numeric `count`
// takes the catalogue's `<key>.one` form when the language's plural rule says "one". And the
// catalogues' areas: the same keys in both languages, none defined twice.

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { type Lang, translator } from './i18n.js';
import { nl } from './nl.js';

describe('translator', () => {
  it('uses the singular form for one, in Dutch and English', () => {
    expect(translator('nl')('org.transfer.done', { count: 1, name: 'Anna Jansen' })).toBe(
      '1 signaal is overgedragen aan Anna Jansen.',
    );
    expect(translator('en')('org.transfer.done', { count: 1, name: 'Anna Jansen' })).toBe(
      '1 signal has been handed over to Anna Jansen.',
    );
  });

  it('keeps the plural form for other counts, and texts without a count as they are', () => {
    expect(translator('nl')('org.transfer.done', { count: 2, name: 'Anna Jansen' })).toBe(
      '2 signalen zijn overgedragen aan Anna Jansen.',
    );
    expect(translator('nl')('org.transfer.done', { count: 0, name: 'Anna Jansen' })).toBe(
      '0 signalen zijn overgedragen aan Anna Jansen.',
    );
    expect(translator('nl')('app.signOut')).toBe('Uitloggen');
  });
});

// The catalogues are one file per area (nl/<area>.ts, en/<area>.ts) spread into nl.ts and en.ts
// (docs/portal.md "Languages"). The types catch a missing or extra key within an area; a key
// defined in two areas they do not: the later spread overwrites the earlier text without a word.

/** The areas of one language: the file names in nl/ or en/, without `.ts`. */
const areas = (lang: Lang): string[] =>
  readdirSync(new URL(`./${lang}/`, import.meta.url))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();

async function areaTexts(lang: Lang, area: string): Promise<Readonly<Record<string, string>>> {
  const module: Record<string, Record<string, string>> = await import(`./${lang}/${area}.ts`);
  const exported = Object.values(module);
  expect(exported, `${lang}/${area}.ts exports one catalogue`).toHaveLength(1);
  return exported[0]!;
}

describe('catalogues', () => {
  it('have the same areas and, area by area, the same keys in Dutch and English', async () => {
    expect(areas('en')).toEqual(areas('nl'));
    for (const area of areas('nl')) {
      const nlKeys = Object.keys(await areaTexts('nl', area)).sort();
      expect(Object.keys(await areaTexts('en', area)).sort(), area).toEqual(nlKeys);
    }
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
  });

  it('define no key in two areas, and spread every area into the catalogue', async () => {
    for (const [lang, catalogue] of [
      ['nl', nl],
      ['en', en],
    ] as const) {
      const areasOf = new Map<string, string[]>();
      for (const area of areas(lang)) {
        for (const key of Object.keys(await areaTexts(lang, area))) {
          areasOf.set(key, [...(areasOf.get(key) ?? []), `${lang}/${area}.ts`]);
        }
      }
      const twice = [...areasOf].filter(([, files]) => files.length > 1);
      expect(twice, 'keys defined in more than one area').toEqual([]);
      expect(Object.keys(catalogue).sort()).toEqual([...areasOf.keys()].sort());
    }
  });
});
