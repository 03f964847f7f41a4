// The common part of the byte scans of a throwaway PostgreSQL cluster's data directory
// (docs/leakage.md §3.7 "PostgreSQL"; pg-erasure-scan*.test.ts): organisations admitted and
// signals placed through the real engine, each signal with a contact e-mail to look for, and a
// scan of every file of the data directory (base/, global/, pg_wal/, …). Hits are reported by
// label, never by value (leak-scan.ts).

import { createHash, generateKeyPairSync } from 'node:crypto';
import type { Actor, Engine } from '@sluis/engine';
import { filesUnder, type Hit, type Needle, scan } from './leak-scan.js';

export type Organisation = Actor & { kind: 'organisation' };

/** What a scan acts on, read at each call: a test may reopen its engine. */
export interface ScanWorld {
  readonly engine: Engine;
  readonly admin: Actor;
  readonly dataDir: string;
}

let requests = 0;

/** The helpers of one scan test; its people are derived from `label` (no real identifier). */
export function dataDirScan(label: string, world: () => ScanWorld) {
  /** Person `n`, as an epoch-1 pseudonym. */
  const subject = (n: number) => [
    { epoch: 1, value: createHash('sha256').update(`${label}:${n}`).digest().toString('base64url') },
  ];
  return {
    subject,
    /** A new organisation, admitted by the admin, acting with its one key. */
    async admit(name: string): Promise<Organisation> {
      const { engine, admin } = world();
      const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string };
      const o = await engine.admitOrganisation(admin, { name, type: 'youth_care', publicKeys: [jwk.x] });
      return { kind: 'organisation', organisationId: o.id, keyId: (await engine.listKeys(o.id))[0]!.keyId };
    },
    /** Places a signal about person `n` whose contact e-mail is `email` (a value to look for). */
    place(org: Organisation, n: number, email: string) {
      return world().engine.placeSignal(org, {
        requestId: `00000000-0000-4000-8000-${(++requests).toString(16).padStart(12, '0')}`,
        subject: subject(n),
        contact: { name: 'Scan Contact', role: 'mentor', email },
        informed: { status: 'not_yet' },
      });
    },
    /** Every hit of `needles` in every file of the data directory. */
    scanDataDir: (needles: readonly Needle[]): Hit[] => scan(filesUnder(world().dataDir), needles),
  };
}

export const inWal = (h: Hit): boolean => h.haystack.startsWith('pg_wal/');
/** A needle's label for the value's own bytes or text, not one of its encodings. */
export const isRawLabel = (label: string): boolean => !/\((hex|HEX|base64url|base64)\)$/.test(label);
/** Hits as `file :: label`, for an assertion's message. */
export const summary = (hits: readonly Hit[]): string[] => hits.map((h) => `${h.haystack} :: ${h.needle}`);
