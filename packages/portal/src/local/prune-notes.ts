// Notes are kept only while the server lists their signal for this person (docs/portal.md
// "What stays in the browser"): a signal withdrawn elsewhere (another tab, the case system),
// expired, purged, erased under the GDPR or transferred away leaves no reference behind here.
// When My signals or Matches opens, the page reads every page of the person's active signals
// and of their match inbox; a note stays when its signal is active, or is the own signal of a
// match the inbox still shows (an ended match keeps showing the own reference), and is
// dropped when neither lists it. Only complete lists prune: a failed or cut-off read drops
// nothing, and a note saved while the lists are read is kept.

import { type Api, readAll } from '../api/read-all.js';
import { notes, pruneNotes } from './local-store.js';

/** The signal ids the server lists for this person: active signals and own signals of shown matches. */
export async function listedSignalIds(api: Api, personId: string): Promise<Set<string> | undefined> {
  const signals = await readAll<{ id: string }>(api, '/v1/signals', { status: 'active', personId });
  const events = await readAll<{ matchId: string; match: { ownSignalId: string } | null }>(
    api,
    '/v1/matches',
    {},
  );
  if (signals === undefined || events === undefined) return undefined;
  const listed = new Set(signals.map((s) => s.id));
  // The latest event of a match carries its current view; `null` once it was removed.
  const latest = new Map<string, { ownSignalId: string } | null>();
  for (const e of events) latest.set(e.matchId, e.match);
  for (const m of latest.values()) if (m !== null) listed.add(m.ownSignalId);
  return listed;
}

/**
 * Drops the notes of signals the server no longer lists for this person; returns how many.
 * Never throws: a failed read leaves every note (the screen reports its own failures).
 */
export async function pruneUnlisted(api: Api, personId: string): Promise<number> {
  const before = new Set(Object.keys(notes(personId)));
  if (before.size === 0) return 0;
  try {
    const listed = await listedSignalIds(api, personId);
    return listed === undefined ? 0 : pruneNotes(personId, before, listed).length;
  } catch {
    return 0;
  }
}
