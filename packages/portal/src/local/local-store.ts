// What the portal keeps in this browser only (docs/portal.md "What stays in the browser"):
// per signal the professional's own reference and a lookup tag, and the time of the last
// visit to the matches with the ids of the matches it showed. localStorage, one entry per person, so colleagues sharing a
// computer do not see each other's references. Never sent to any server.
//
// The lookup tag is SHA-256 over the signal's pseudonym (never the BSN): finding "my signal
// for this client" means typing the BSN again, pseudonymising it through the pseudonym
// service and comparing tags here. Without the pseudonym service a stolen browser profile
// cannot turn a tag back into a BSN by trying all 10⁹ numbers (docs/threat-model.md §3).

import { base64url } from '@sluis/client-sdk';

export interface LocalSignalNote {
  readonly reference: string;
  /** base64url(SHA-256(pseudonym)) per epoch, e.g. { "3": "…" }. */
  readonly tags: Readonly<Record<string, string>>;
}

interface PersonData {
  notes: Record<string, LocalSignalNote>;
  /** ISO time of the last visit to the match list. */
  lastVisit?: string;
  /** The ids of the matches that list showed then (absent before this was kept). */
  seen?: string[];
}

/** The last visit to the match list: when, and which matches it showed. */
export interface Visit {
  readonly at: string;
  readonly seen?: ReadonlySet<string>;
}

const PREFIX = 'sluis.person.';

function read(personId: string): PersonData {
  try {
    const raw = globalThis.localStorage.getItem(PREFIX + personId);
    if (raw === null) return { notes: {} };
    const parsed = JSON.parse(raw) as PersonData;
    return typeof parsed === 'object' && parsed !== null && typeof parsed.notes === 'object'
      ? parsed
      : { notes: {} };
  } catch {
    return { notes: {} };
  }
}

function write(personId: string, data: PersonData): void {
  try {
    globalThis.localStorage.setItem(PREFIX + personId, JSON.stringify(data));
  } catch {
    // Storage full or disabled: the reference is then not kept, which the screen says.
  }
}

export async function lookupTag(pseudonym: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pseudonym));
  return base64url.encode(new Uint8Array(digest));
}

export function notes(personId: string): Readonly<Record<string, LocalSignalNote>> {
  return read(personId).notes;
}

/**
 * Keeps the note of a signal. Placing the same client again answers with the signal already
 * held (`existing`): its reference stays unless a new one was typed, and the lookup tags of
 * both placements are kept (docs/portal.md "What stays in the browser").
 */
export function saveNote(personId: string, signalId: string, note: LocalSignalNote): void {
  const data = read(personId);
  const before = data.notes[signalId];
  data.notes[signalId] = {
    reference: note.reference === '' ? (before?.reference ?? '') : note.reference,
    tags: { ...before?.tags, ...note.tags },
  };
  write(personId, data);
}

export function removeNote(personId: string, signalId: string): void {
  const data = read(personId);
  delete data.notes[signalId];
  write(personId, data);
}

/** The signal ids whose tag under the same epoch equals one of `tags`. */
export function findByTags(personId: string, tags: Readonly<Record<string, string>>): string[] {
  return Object.entries(read(personId).notes)
    .filter(([, n]) => Object.entries(tags).some(([epoch, tag]) => n.tags[epoch] === tag))
    .map(([id]) => id);
}

export function lastVisit(personId: string): Visit | undefined {
  const { lastVisit: at, seen } = read(personId);
  if (at === undefined) return undefined;
  return Array.isArray(seen) ? { at, seen: new Set(seen) } : { at };
}

export function markVisit(personId: string, at: string, matchIds: readonly string[]): void {
  const data = read(personId);
  data.lastVisit = at;
  data.seen = [...matchIds];
  write(personId, data);
}

/**
 * New to this person since their last visit: created after it, or not in the list then —
 * a match of a signal handed to them by a transfer since (docs/portal.md "Screens").
 */
export function isNew(visit: Visit | undefined, m: { readonly matchId: string; readonly createdAt: string }) {
  if (visit === undefined) return true;
  return m.createdAt > visit.at || (visit.seen !== undefined && !visit.seen.has(m.matchId));
}
