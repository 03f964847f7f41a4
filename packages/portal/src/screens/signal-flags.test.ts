import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/i18n.js';
import { signalFlags } from './signal-flags.js';

// docs/portal.md "Screens" (My signals): the desk's restriction and pending objection on the
// holder's own signal, in Dutch and English; nothing for a signal under neither, or from a
// server before API 1.4.0 (no `restricted`).
describe('My signals: the GDPR flags after a reference', () => {
  it('says a restriction and an objection in Dutch and English, restriction first', () => {
    const [nl, en] = [translator('nl'), translator('en')];
    const both = { restricted: true, underObjection: true };
    expect(signalFlags(both).map((k) => nl(k))).toEqual(['verwerking beperkt', 'bezwaar loopt']);
    expect(signalFlags(both).map((k) => en(k))).toEqual(['processing restricted', 'under objection']);
    expect(signalFlags({ restricted: true, underObjection: false }).map((k) => en(k))).toEqual([
      'processing restricted',
    ]);
    expect(signalFlags({ restricted: false, underObjection: false })).toEqual([]);
    expect(signalFlags({ underObjection: false })).toEqual([]);
  });
});
