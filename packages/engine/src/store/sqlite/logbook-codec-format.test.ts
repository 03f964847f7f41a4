// The logbook codec's on-disk format, pinned: the format byte, the UUID tokens, every dictionary
// byte (append-only) and a golden vector; and a corrupt cell refused with database_corrupt and a
// message that names no content.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../errors.js';
import { decodeLogText, encodeLogText } from './logbook-codec.js';
import { LONG_WORDS, SHORT_WORDS } from './logbook-words.js';

describe('logbook codec format', () => {
  it('pins the on-disk format: the format byte, the UUID tokens and every dictionary byte', () => {
    // APPEND-ONLY: a new word gets a new line at the end; no line here may ever change.
    const pinned: [readonly number[], string][] = [
      [[0x03], '"}'],
      [[0x04], '{"keyId":"'],
      [[0x05], '","kind":"organisation","organisationId":"'],
      [[0x06], '{"count":'],
      [[0x07], '{"kind":"system"}'],
      [[0x08], 'signal.placed'],
      [[0x09], 'signals.placed'],
      [[0x0a], 'match.created'],
      [[0x0b], 'match.revealed'],
      [[0x0c], 'match.ended'],
      [[0x0d], 'match.removed'],
      [[0x0e], 'signal.expired'],
      [[0x0f], '{"requestId":"'],
      [[0x10], '","signalId":"'],
      [[0x11], '{"signalIds":"'],
      [[0x12], '{"signalId":"'],
      [[0x13], '{"matchId":"'],
      [[0x14], '","signalA":"'],
      [[0x15], '","signalB":"'],
      [[0x16], '","organisationId":"'],
      [[0x17], '","matchIds":"'],
      [[0x18], '{"epochs":'],
      [[0x19], ',"parents":'],
      [[0x1a], '{"kind":"person"}'],
      [[0x1b], '{"kind":"family"}'],
      [[0x1c], '{"matchesEnded":'],
      [[0x1d], '{"reason":"'],
      [[0x1e], '{"organisationId":"'],
      [[0x1f, 0], 'organisation.admitted'],
      [[0x1f, 1], 'organisation.updated'],
      [[0x1f, 2], 'organisation.reinstated'],
      [[0x1f, 3], 'organisation.suspended'],
      [[0x1f, 4], 'key.added'],
      [[0x1f, 5], 'key.revoked'],
      [[0x1f, 6], 'key.activity_reviewed'],
      [[0x1f, 7], 'agreement.added'],
      [[0x1f, 8], 'agreement.status'],
      [[0x1f, 9], 'signal.migrated'],
      [[0x1f, 10], 'signal.withdrawn'],
      [[0x1f, 11], 'signal.transferred'],
      [[0x1f, 12], 'signal.rectified'],
      [[0x1f, 13], 'signal.informed_updated'],
      [[0x1f, 14], 'consent.recorded'],
      [[0x1f, 15], 'consent.withdrawn'],
      [[0x1f, 16], 'epoch.registered'],
      [[0x1f, 17], 'epoch.signals_stranded'],
      [[0x1f, 18], 'epoch.retired'],
      [[0x1f, 19], 'match.contact_made'],
      [[0x1f, 20], 'match.regie'],
      [[0x1f, 21], 'gdpr.access'],
      [[0x1f, 22], 'gdpr.erased'],
      [[0x1f, 23], 'gdpr.restricted'],
      [[0x1f, 24], 'gdpr.restriction_lifted'],
      [[0x1f, 25], 'gdpr.objection'],
      [[0x1f, 26], 'alert.placement_rate'],
      [[0x1f, 27], 'retention.run'],
      [[0x1f, 28], 'server_secret.rotation_started'],
      [[0x1f, 29], 'server_secret.rotation_progress'],
      [[0x1f, 30], 'server_secret.rotation_completed'],
      [[0x1f, 31], 'webhook_key.added'],
      [[0x1f, 32], 'webhook_key.signing'],
      [[0x1f, 33], 'webhook_key.retired'],
      [[0x1f, 34], '","kind":"admin"}'],
      [[0x1f, 35], '{"keyIds":"'],
      [[0x1f, 36], '{"agreementId":"'],
      [[0x1f, 37], '","keyId":"'],
      [[0x1f, 38], '","matchId":"'],
      [[0x1f, 39], '","signalIds":"'],
      [[0x1f, 40], '{"type":"'],
      [[0x1f, 41], '{"placementBudgetPerDay":'],
      [[0x1f, 42], ',"webhook":'],
      [[0x1f, 43], '{"webhook":'],
      [[0x1f, 44], '{"matchesCreated":'],
      [[0x1f, 45], '{"role":"'],
      [[0x1f, 46], '{"actionKind":"'],
      [[0x1f, 47], '","informationCategory":"'],
      [[0x1f, 48], '","owner":"'],
      [[0x1f, 49], '","purpose":"'],
      [[0x1f, 50], '{"status":"'],
      [[0x1f, 51], '{"added":'],
      [[0x1f, 52], ',"epochs":"'],
      [[0x1f, 53], '{"created":'],
      [[0x1f, 54], ',"existing":'],
      [[0x1f, 55], ',"refused":'],
      [[0x1f, 56], ',"replayed":'],
      [[0x1f, 57], '{"formReference":'],
      [[0x1f, 58], ',"scopes":"'],
      [[0x1f, 59], '{"epoch":'],
      [[0x1f, 60], '{"archivedUnlinked":'],
      [[0x1f, 61], ',"epoch":'],
      [[0x1f, 62], ',"signalsEnded":'],
      [[0x1f, 63], ',"forced":'],
      [[0x1f, 64], ',"storedPseudonymsDeleted":'],
      [[0x1f, 65], ',"reason":"'],
      [[0x1f, 66], '{"matchesRemoved":'],
      [[0x1f, 67], ',"via":"'],
      [[0x1f, 68], '{"action":"'],
      [[0x1f, 69], '","for":"'],
      [[0x1f, 70], '{"matches":'],
      [[0x1f, 71], ',"signals":'],
      [[0x1f, 72], ',"parentLinks":'],
      [[0x1f, 73], ',"status":"'],
      [[0x1f, 74], '{"placementsThisHour":'],
      [[0x1f, 75], ',"threshold":'],
      [[0x1f, 76], '{"generation":'],
      [[0x1f, 77], ',"rowsRekeyed":'],
      [[0x1f, 78], ',"signalsDone":'],
      [[0x1f, 79], ',"hashesRekeyed":'],
      [[0x1f, 80], '{"entries":'],
      [[0x1f, 81], ',"from":'],
      [[0x1f, 82], ',"to":'],
      [[0x1f, 83], '{"events":'],
      [[0x1f, 84], ',"expired":'],
      [[0x1f, 85], ',"purgedMatches":'],
      [[0x1f, 86], ',"purgedSignals":'],
      [[0x1f, 87], '","personId":"'],
      [[0x1f, 88], '","personRole":"professional"}'],
      [[0x1f, 89], '","personRole":"organisation_coordinator"}'],
      [[0x1f, 90], '","personRole":"match_coordinator"}'],
      [[0x1f, 91], '","personRole":"gdpr_desk"}'],
      [[0x1f, 92], '","personRole":"auditor"}'],
      [[0x1f, 93], '","personRole":"administrator"}'],
      [[0x1f, 94], '","kind":"admin","personId":"'],
      [[0x1f, 95], '{"personId":"'],
      [[0x1f, 96], 'person.added'],
      [[0x1f, 97], 'person.removed'],
      [[0x1f, 98], 'match.follow_up'],
      [[0x1f, 99], 'logbook.purged'],
      [[0x1f, 100], '{"roles":"'],
      [[0x1f, 101], '{"outcome":"'],
      [[0x1f, 102], ',"headHash":"'],
      [[0x1f, 103], '","throughSeq":'],
      [[0x1f, 104], '{"matchEmail":'],
      [[0x1f, 105], 'signal.handover_requested'],
      [[0x1f, 106], 'signal.handover_declined'],
      [[0x1f, 107], '","requestId":"'],
      [[0x1f, 108], 'archive.notice'],
      [[0x1f, 109], 'archive.notice_read'],
      [[0x1f, 110], 'enrolment_code.issued'],
      [[0x1f, 111], 'device.added'],
      [[0x1f, 112], 'device.removed'],
      [[0x1f, 113], 'session.started'],
      [[0x1f, 114], 'session.ended'],
      [[0x1f, 115], 'signal.found'],
    ];
    expect(SHORT_WORDS.length + LONG_WORDS.length).toBe(pinned.length);
    // Distinct, printable ASCII (no marker byte inside a word), each longer than its code.
    const words = [...SHORT_WORDS, ...LONG_WORDS];
    expect(new Set(words).size).toBe(words.length);
    for (const w of SHORT_WORDS) expect(w).toMatch(/^[\x20-\x7e]{2,}$/);
    for (const w of LONG_WORDS) expect(w).toMatch(/^[\x20-\x7e]{3,}$/);
    for (const [code, word] of pinned) {
      expect(decodeLogText(Buffer.from([0x01, ...code]))).toBe(word);
      // Each occurrence between literals encodes to exactly its code.
      const e = encodeLogText(`x${word}x${word}`);
      expect(Buffer.from(e).toString('hex'), word).toBe(
        Buffer.from([0x01, 0x78, ...code, 0x78, ...code]).toString('hex'),
      );
    }
    // A golden vector: a placement's refs, byte for byte.
    const u1 = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const u2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const u3 = '00000000-0000-4000-8000-000000000001';
    expect((encodeLogText(`{"requestId":"${u1}","signalId":"${u2}"}`) as Buffer).toString('hex')).toBe(
      '010f010f8fad5bd9cb469fa16570867728950e10017c9e6679742540de944be07fc1f90ae703',
    );
    expect((encodeLogText(`{"signalIds":"${u1},${u3}"}`) as Buffer).toString('hex')).toBe(
      '0111010f8fad5bd9cb469fa16570867728950e020000000000004000800000000000000103',
    );
  });

  it('refuses a corrupt cell with database_corrupt and a message that names no content', () => {
    const valid = encodeLogText(`{"signalId":"${randomUUID()}"}`) as Buffer;
    const cases: Uint8Array[] = [
      Buffer.alloc(0),
      Buffer.from([0x02, ...valid.subarray(1)]), // unknown format
      Buffer.from([0xff]),
      valid.subarray(0, 10), // truncated UUID
      Buffer.from([0x01, 0x01]),
      Buffer.from([0x01, 0x00]), // 0x00 is no token
      Buffer.from([0x01, 0x1f]), // long word without its index
      Buffer.from([0x01, 0x1f, 0xff]), // no such long word (yet)
      Buffer.from([0x01, 0x41, 0xc3]), // invalid UTF-8
      Buffer.from([0x01, 0xed, 0xa0, 0x80]), // a UTF-8-encoded surrogate
    ];
    for (const c of cases) {
      let error: unknown;
      try {
        decodeLogText(c);
      } catch (e) {
        error = e;
      }
      expect(isEngineError(error, 'database_corrupt'), Buffer.from(c).toString('hex')).toBe(true);
      expect((error as Error).message).toBe('a logbook entry is stored in an unknown form');
    }
  });
});
