// The notes kept in this browser: placing the same client again (`existing`) keeps the own
// reference unless a new one was typed (docs/portal.md "What stays in the browser").
import { beforeEach, describe, expect, it } from 'vitest';
import { notes, saveNote } from './local-store.js';

/** The platform's Storage, in memory: what localStorage is to the page. */
class MemoryStorage {
  readonly #items = new Map<string, string>();
  getItem(k: string): string | null {
    return this.#items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.#items.set(k, v);
  }
}

describe('saveNote', () => {
  beforeEach(() => {
    Object.defineProperty(globalThis, 'localStorage', { value: new MemoryStorage(), configurable: true });
  });
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
