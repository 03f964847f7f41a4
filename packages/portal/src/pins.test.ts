// The portal's pins (docs/portal.md "Pins"): config.json from the match server only chooses
// among the epochs and the service URL the build pinned; anything else is refused with a code.

import { base64url } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { parsePins, readPins } from '../build/pins.js';
import type { Session } from './api/session.js';
import { choosePinned, type PortalConfig, type PortalPins } from './pins.js';
import { defaultServices } from './services.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

// Two valid ristretto255 elements (the generator and its double, RFC 9496 §A.1).
const KEY_2 = base64url.encode(
  Buffer.from('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76', 'hex'),
);
const ROGUE = base64url.encode(
  Buffer.from('6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919', 'hex'),
);
const SERVICE = 'https://pseudoniemen.example.nl';
const PINS: PortalPins = { pseudonymService: SERVICE, oprfEpochs: [{ epoch: 2, publicKey: KEY_2 }] };

const code = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('choosePinned', () => {
  it('uses a pinned epoch with its pinned key at the pinned service', () => {
    const c: PortalConfig = { pseudonymService: `${SERVICE}/`, oprfEpochs: [{ epoch: 2, publicKey: KEY_2 }] };
    expect(choosePinned(c, PINS)).toEqual({ serviceUrl: SERVICE, epochs: [{ epoch: 2, publicKey: KEY_2 }] });
  });

  it('lets config.json drop a pinned epoch but not add one (a rotation: at most the newest two)', () => {
    const pins: PortalPins = {
      pseudonymService: SERVICE,
      oprfEpochs: [1, 2, 3].map((epoch) => ({ epoch, publicKey: epoch === 2 ? KEY_2 : ROGUE })),
    };
    const all = { pseudonymService: SERVICE, oprfEpochs: pins.oprfEpochs };
    expect(choosePinned(all, pins).epochs.map((e) => e.epoch)).toEqual([2, 3]);
    const one = { pseudonymService: SERVICE, oprfEpochs: [pins.oprfEpochs[0]!] };
    expect(choosePinned(one, pins).epochs.map((e) => e.epoch)).toEqual([1]);
  });

  it('refuses an epoch that is not pinned — the reviewer’s rogue epoch — and a pinned epoch with another key', () => {
    const rogue = [
      { epoch: 2, publicKey: KEY_2 },
      { epoch: 7, publicKey: ROGUE },
    ];
    expect(code(() => choosePinned({ pseudonymService: SERVICE, oprfEpochs: rogue }, PINS))).toBe(
      'oprf_epoch_not_pinned',
    );
    const swapped = [{ epoch: 2, publicKey: ROGUE }];
    expect(code(() => choosePinned({ pseudonymService: SERVICE, oprfEpochs: swapped }, PINS))).toBe(
      'oprf_epoch_not_pinned',
    );
  });

  it('refuses a service URL that is not pinned, and says so without the URL', () => {
    for (const url of [
      'https://relay.example.nl',
      'https://pseudoniemen.example.nl.evil.example',
      'not a url',
    ]) {
      const c = { pseudonymService: url, oprfEpochs: PINS.oprfEpochs };
      expect(code(() => choosePinned(c, PINS))).toBe('pseudonym_service_not_pinned');
    }
  });

  it('an unpinned build refuses; no service or no epoch at the match server is "unavailable"', () => {
    expect(code(() => choosePinned({ pseudonymService: SERVICE, oprfEpochs: PINS.oprfEpochs }, null))).toBe(
      'portal_not_pinned',
    );
    expect(code(() => choosePinned({ pseudonymService: null, oprfEpochs: PINS.oprfEpochs }, PINS))).toBe(
      'pseudonym_service_unavailable',
    );
    expect(code(() => choosePinned({ pseudonymService: SERVICE, oprfEpochs: [] }, PINS))).toBe(
      'pseudonym_service_unavailable',
    );
    expect(code(() => choosePinned(null as unknown as PortalConfig, PINS))).toBe(
      'pseudonym_service_unavailable',
    );
  });
});

describe('defaultServices', () => {
  // Building the pseudonymisers signs nothing; the session only keys the cache.
  const session = { signer: caseSigningKey() } as unknown as Session;

  it('builds the pseudonymisers from the pinned key', async () => {
    const services = defaultServices(PINS, async () => ({
      pseudonymService: SERVICE,
      oprfEpochs: [{ epoch: 2, publicKey: KEY_2 }],
    }));
    const list = await services.pseudonymisers(session, () => {});
    expect(list.map((p) => [p.kind, p.epoch])).toEqual([['oprf', 2]]);
    expect(base64url.encode((list[0] as unknown as { publicKey: Uint8Array }).publicKey)).toBe(KEY_2);
  });

  it('refuses the match server’s own key and its own service URL', async () => {
    const rogue = defaultServices(PINS, async () => ({
      pseudonymService: SERVICE,
      oprfEpochs: [
        { epoch: 2, publicKey: KEY_2 },
        { epoch: 7, publicKey: ROGUE },
      ],
    }));
    await expect(rogue.pseudonymisers(session, () => {})).rejects.toMatchObject({
      code: 'oprf_epoch_not_pinned',
    });
    const relay = defaultServices(PINS, async () => ({
      pseudonymService: 'https://relay.example.nl',
      oprfEpochs: [{ epoch: 2, publicKey: KEY_2 }],
    }));
    await expect(relay.pseudonymisers(session, () => {})).rejects.toMatchObject({
      code: 'pseudonym_service_not_pinned',
    });
  });
});

describe('parsePins (build/pins.ts)', () => {
  it('reads a pins file the shape of config.json', () => {
    const text = JSON.stringify(PINS);
    expect(parsePins(text)).toEqual(PINS);
  });

  it('fails the build on a malformed file, naming what is wrong', () => {
    const bad = [
      'not json',
      '[]',
      JSON.stringify({ ...PINS, extra: 1 }),
      JSON.stringify({ ...PINS, pseudonymService: 'ftp://x.example' }),
      JSON.stringify({ ...PINS, pseudonymService: 'https://x.example/?a=1' }),
      JSON.stringify({ ...PINS, oprfEpochs: [] }),
      JSON.stringify({ ...PINS, oprfEpochs: [{ epoch: 0, publicKey: KEY_2 }] }),
      JSON.stringify({ ...PINS, oprfEpochs: [{ epoch: 2, publicKey: 'short' }] }),
      JSON.stringify({ ...PINS, oprfEpochs: [PINS.oprfEpochs[0], PINS.oprfEpochs[0]] }),
    ];
    for (const text of bad) expect(() => parsePins(text), text).toThrow(/^SLUIS_PORTAL_PINS: /);
  });

  it('reads the file SLUIS_PORTAL_PINS names; unset is unpinned; a relative path is refused', () => {
    expect(readPins({})).toBeNull();
    expect(readPins({ SLUIS_PORTAL_PINS: '' })).toBeNull();
    expect(() => readPins({ SLUIS_PORTAL_PINS: 'portal-pins.json' })).toThrow(/absolute path/);
    expect(() => readPins({ SLUIS_PORTAL_PINS: '/nonexistent/portal-pins.json' })).toThrow(/cannot be read/);
  });
});
