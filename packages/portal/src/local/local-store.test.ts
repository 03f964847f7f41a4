// The notes kept in this browser: placing the same client again (`existing`) keeps the own
// reference unless a new one was typed; entries with unkeyed tags lose them on the first
// read; pruning drops only notes of signals no list shows (docs/portal.md "What stays in the
// browser").
import { beforeEach, describe, expect, it } from 'vitest';
import { findByTags, forgetPersonNotes, notes, pruneNotes, saveNote, upgradeAll } from './local-store.js';
import { MemoryStorage } from './memory-storage.js';

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });
});

describe('saveNote', () => {
  const person = 'p1';
  const signal = 's1';

  it('stores a first note as given', () => {
    saveNote(person, signal, { reference: 'dossier 2041', tags: { '2': 'a' } });
    expect(notes(person)[signal]).toEqual({ reference: 'dossier 2041', tags: { '2': 'a' } });
  });

  it('keeps the reference when the same client is placed again without one', () => {
    saveNote(person, signal, { reference: 'dossier 4000', tags: { '2': 'a' } });
    saveNote(person, signal, { reference: '', tags: { '2': 'a' } });
    expect(notes(person)[signal]?.reference).toBe('dossier 4000');
  });

  it('replaces the reference only with a newly typed one, and keeps the tags of both', () => {
    saveNote(person, signal, { reference: 'dossier 2041', tags: { '2': 'a' } });
    saveNote(person, signal, { reference: 'dossier 9999', tags: { '3': 'b' } });
    expect(notes(person)[signal]).toEqual({ reference: 'dossier 9999', tags: { '2': 'a', '3': 'b' } });
  });
});

describe('entries written before the tags were keyed (format 1)', () => {
  // What the portal wrote before: base64url(SHA-256(pseudonym)) per epoch, no format field.
  const unkeyed = 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg';
  const format1 = (reference: string) =>
    JSON.stringify({
      notes: { s1: { reference, tags: { '3': unkeyed } } },
      lastVisit: '2026-01-01T00:00:00Z',
    });

  it('lose every tag on the first read, for everyone in this browser; references and visits stay', () => {
    storage.setItem('sluis.person.p1', format1('dossier 1'));
    storage.setItem('sluis.person.p2', format1('dossier 2'));
    storage.setItem('sluis.lang', 'nl');
    upgradeAll();
    expect(notes('p1')).toEqual({ s1: { reference: 'dossier 1', tags: {} } });
    for (const k of ['sluis.person.p1', 'sluis.person.p2']) {
      const raw = storage.getItem(k)!;
      expect(raw).not.toContain(unkeyed);
      expect(JSON.parse(raw)).toMatchObject({ v: 2, lastVisit: '2026-01-01T00:00:00Z' });
    }
    expect(storage.getItem('sluis.lang')).toBe('nl');
    expect(findByTags('p2', { '3': unkeyed })).toEqual([]);
  });

  it('a format-2 entry is read as it is', () => {
    storage.setItem(
      'sluis.person.p1',
      JSON.stringify({ v: 2, notes: { s1: { reference: 'r', tags: { '3': 'k' } } } }),
    );
    upgradeAll();
    expect(findByTags('p1', { '3': 'k' })).toEqual(['s1']);
  });
});

describe('pruneNotes', () => {
  it('drops the notes no list shows, keeps listed ones and notes saved since the lists were asked for', () => {
    for (const id of ['active', 'ended-with-match', 'gone']) saveNote('p1', id, { reference: id, tags: {} });
    const before = new Set(Object.keys(notes('p1')));
    saveNote('p1', 'placed-meanwhile', { reference: 'new', tags: {} });
    saveNote('p2', 'gone', { reference: 'colleague', tags: {} });
    const dropped = pruneNotes('p1', before, new Set(['active', 'ended-with-match']));
    expect(dropped).toEqual(['gone']);
    expect(Object.keys(notes('p1')).sort()).toEqual(['active', 'ended-with-match', 'placed-meanwhile']);
    expect(notes('p2').gone?.reference).toBe('colleague');
  });
});

describe('forgetPersonNotes', () => {
  it('removes this person’s entry only', () => {
    saveNote('p1', 's1', { reference: 'mine', tags: {} });
    saveNote('p2', 's2', { reference: 'theirs', tags: {} });
    forgetPersonNotes('p1');
    expect(storage.getItem('sluis.person.p1')).toBeNull();
    expect(notes('p2').s2?.reference).toBe('theirs');
  });
});
