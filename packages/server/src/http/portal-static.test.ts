// config.json (docs/portal.md "Pins", "Accessibility statement"): the match server reports the
// active OPRF epochs, the pseudonym service it was started with and where to report an
// accessibility problem. The page uses only what its build pinned, so this answer can choose
// among pinned epochs and never add a key; what it reports is tested here.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, makeHarness } from '../testing/harness.js';
import { portalConfig } from './portal-static.js';

const G = Buffer.from('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76', 'hex');
const ADMIN = { kind: 'admin', keyId: 'test' } as const;

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(async () => h.close());

const read = async (service?: string) => {
  const r = await portalConfig(h.engine, service === undefined ? {} : { pseudonymService: service });
  expect(r.headers.get('cache-control')).toBe('no-store');
  return (await r.json()) as unknown;
};

it('lists the active OPRF epochs with their public keys, never an HMAC or a retired epoch', async () => {
  expect(await read()).toEqual({ pseudonymService: null, oprfEpochs: [], accessibilityContact: null });
  await h.engine.registerEpoch(ADMIN, 2, { kind: 'oprf', publicKey: G });
  await h.engine.registerEpoch(ADMIN, 3, { kind: 'oprf', publicKey: G });
  const key = G.toString('base64url');
  expect(await read('https://pseudoniemen.example.nl')).toEqual({
    pseudonymService: 'https://pseudoniemen.example.nl',
    oprfEpochs: [
      { epoch: 2, publicKey: key },
      { epoch: 3, publicKey: key },
    ],
    accessibilityContact: null,
  });
  await h.engine.retireEpoch(ADMIN, 2, { force: true });
  expect(await read()).toEqual({
    pseudonymService: null,
    oprfEpochs: [{ epoch: 3, publicKey: key }],
    accessibilityContact: null,
  });
});

it('names where to report an accessibility problem when the operator set it, and null otherwise', async () => {
  const contact = 'mailto:digitoegankelijk@gemeente.example.nl';
  const r = await portalConfig(h.engine, { accessibilityContact: contact });
  expect(((await r.json()) as { accessibilityContact: unknown }).accessibilityContact).toBe(contact);
  expect(((await read()) as { accessibilityContact: unknown }).accessibilityContact).toBeNull();
});
