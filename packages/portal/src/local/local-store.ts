// What the portal keeps in this browser only (docs/portal.md "What stays in the browser"):
// per signal the professional's own reference and a lookup tag, and the time of the last
// visit to the matches with the ids of the matches it showed. localStorage, one entry per
// person, so colleagues sharing a computer do not see each other's references. Never sent to
// any server.
//
// The lookup tag is a keyed MAC of the signal's pseudonym under this person's key in this
// browser (./tag-key.ts), never the BSN nor an unkeyed hash: finding "my signal for this
// client" means typing the BSN again, pseudonymising it through the pseudonym service and
// comparing tags here. Entries written before the tags were keyed (format 1: SHA-256 of the
// pseudonym, which the OPRF key holder can reverse and which is the same in every browser)
// lose their tags on the first read; the reference stays, keyed by the signal id. Notes of
// signals the server no longer lists for the person are dropped (./prune-notes.ts).

export interface LocalSignalNote {
  readonly reference: string;
  /** The lookup tag per epoch (./tag-key.ts), e.g. { "3": "…" }. */
  readonly tags: Readonly<Record<string, string>>;
}

interface PersonData {
  /** The format: 2 since the tags are keyed; absent in format 1. */
  v?: number;
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
const FORMAT = 2;

function parse(raw: string | null): PersonData {
  if (raw === null) return { v: FORMAT, notes: {} };
  try {
    const parsed = JSON.parse(raw) as PersonData;
    return typeof parsed === 'object' && parsed !== null && typeof parsed.notes === 'object'
      ? parsed
      : { v: FORMAT, notes: {} };
  } catch {
    return { v: FORMAT, notes: {} };
  }
}

/** Format 1 → 2: every unkeyed tag dropped (it cannot be re-keyed without the BSN). */
function upgraded(data: PersonData): PersonData {
  if (data.v === FORMAT) return data;
  const notes: Record<string, LocalSignalNote> = {};
  for (const [id, n] of Object.entries(data.notes))
    notes[id] = { reference: typeof n.reference === 'string' ? n.reference : '', tags: {} };
  return { ...data, v: FORMAT, notes };
}

let everyoneUpgraded = false;

/**
 * Upgrades the entry of every person kept in this browser, once per page: a colleague who
 * shares the computer and does not sign in again must not keep unkeyed tags either.
 */
export function upgradeAll(): void {
  everyoneUpgraded = true;
  try {
    const storage = globalThis.localStorage;
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (k?.startsWith(PREFIX)) keys.push(k);
    }
    for (const k of keys) {
      const data = parse(storage.getItem(k));
      if (data.v !== FORMAT) storage.setItem(k, JSON.stringify(upgraded(data)));
    }
  } catch {
    // No storage: nothing kept to upgrade.
  }
}

function read(personId: string): PersonData {
  if (!everyoneUpgraded) upgradeAll();
  try {
    return upgraded(parse(globalThis.localStorage.getItem(PREFIX + personId)));
  } catch {
    return { v: FORMAT, notes: {} };
  }
}

function write(personId: string, data: PersonData): void {
  try {
    globalThis.localStorage.setItem(PREFIX + personId, JSON.stringify({ ...data, v: FORMAT }));
  } catch {
    // Storage full or disabled: the reference is then not kept, which the screen says.
  }
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

/**
 * Drops the notes of `before` (the ids kept when the lists were asked for) that are not in
 * `listed`; a note saved since is not in `before` and stays. Returns the ids dropped.
 */
export function pruneNotes(
  personId: string,
  before: ReadonlySet<string>,
  listed: ReadonlySet<string>,
): string[] {
  const data = read(personId);
  const dropped = Object.keys(data.notes).filter((id) => before.has(id) && !listed.has(id));
  if (dropped.length === 0) return dropped;
  for (const id of dropped) delete data.notes[id];
  write(personId, data);
  return dropped;
}

/** Deletes everything kept for this person in localStorage (notes, last visit). */
export function forgetPersonNotes(personId: string): void {
  try {
    globalThis.localStorage.removeItem(PREFIX + personId);
  } catch {
    // No storage: nothing kept.
  }
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
