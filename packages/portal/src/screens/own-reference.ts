// The professional's own reference of a signal, kept only in this browser (../local/local-store.ts),
// shown wherever a match or signal is named, so that a professional with several clients
// knows which one it is about (docs/portal.md "Screens").
import type { Translate } from '../i18n/i18n.js';
import { notes } from '../local/local-store.js';

export function ownReference(t: Translate, personId: string, signalId: string): string {
  return notes(personId)[signalId]?.reference || t('signals.noReference');
}
