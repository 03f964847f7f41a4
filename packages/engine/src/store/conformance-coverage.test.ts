// Every method of the store contract (the reader and writer interfaces of contract/*.ts, and
// StoreWriter's and Store's own in store.ts) is called by at least one conformance case
// (conformance/*.ts, run on every store), and docs/engine.md's "where tested" row states how
// many there are: a method added without a case, or a count left behind, fails here.

import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const here = (p: string) => new URL(p, import.meta.url);
const read = (p: string) => readFileSync(here(p), 'utf8');

/** The method names of the contract's interfaces, by interface. */
function contractMethods(): Map<string, string[]> {
  const files = [...readdirSync(here('./contract/')).map((f) => `./contract/${f}`), './store.ts'];
  const out = new Map<string, string[]>();
  for (const f of files) {
    const sf = ts.createSourceFile(f, read(f), ts.ScriptTarget.Latest, true);
    sf.forEachChild((n) => {
      if (!ts.isInterfaceDeclaration(n) || !/^(\w+Reader|\w+Writer|Store)$/.test(n.name.text)) return;
      const names = n.members.filter(ts.isMethodSignature).map((m) => m.name.getText(sf));
      out.set(n.name.text, names);
    });
  }
  return out;
}

describe('store contract coverage', () => {
  const methods = contractMethods();
  const all = [...methods.values()].flat();
  const cases = [
    ...readdirSync(here('./conformance/')).map((f) => read(`./conformance/${f}`)),
    read('./conformance.ts'),
  ].join('\n');

  it('every contract method is called by a conformance case', () => {
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((m) => !new RegExp(`\\.${m}\\s*[(<]`).test(cases))).toEqual([]);
  });

  it("docs/engine.md's row states the count", () => {
    const of = (pick: (name: string) => boolean) =>
      [...methods].filter(([name]) => pick(name)).reduce((n, [, m]) => n + m.length, 0);
    const [readers, writers, store] = [
      of((n) => n.endsWith('Reader')),
      of((n) => n.endsWith('Writer')),
      of((n) => n === 'Store'),
    ];
    expect(readers + writers + store).toBe(all.length);
    const doc = read('../../../../docs/engine.md');
    expect(doc).toContain(
      `(${all.length} of ${all.length}: ${readers} reader, ${writers} writer and ${store} store methods;`,
    );
  });
});
