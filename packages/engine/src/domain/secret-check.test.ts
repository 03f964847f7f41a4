// Server-secret check values (docs/keys.md §2.2 "Check values"): two engines on one store —
// two instances on one PostgreSQL database, or an SQLite file opened with another data
// directory's keys — never derive stored values under different secrets of one generation.
// Without the check the second engine opens and its placements silently never match the
// first one's; a rotation's key file that is not the rotating instance's is taken up.

import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import { secretCheckValue } from '../protocol/stored-pseudonym.js';
import { admin, caseSecrets, type Harness, harness, placement, SERVER_SECRET } from '../testing/harness.js';
import { MISSING_SECRET_RETRY_MS } from './secret-generation.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const OTHER_SECRET = Buffer.alloc(32, 0x33);
const SECRET_2 = Buffer.alloc(32, 0x6b);
describe('server-secret check values', () => {
  it('is HMAC-SHA-256(secret, lp(label) ‖ u32be(g)) (lp: u16be length), recomputed from docs/keys.md', () => {
    const label = Buffer.from('sluis/server-secret-check/v1', 'utf8');
    const lp = Buffer.concat([Buffer.from([0, label.length]), label]);
    const expected = createHmac('sha256', SECRET_2)
      .update(Buffer.concat([lp, Buffer.from([0, 0, 0, 2])]))
      .digest();
    expect(secretCheckValue(SECRET_2, 2).equals(expected)).toBe(true);
    expect(
      caseSecrets([
        [1, SERVER_SECRET],
        [2, SECRET_2],
      ])
        .checkValue(2)
        .equals(expected),
    ).toBe(true);
    // One generation's value is not another's under the same secret.
    expect(secretCheckValue(SECRET_2, 3).equals(expected)).toBe(false);
  });

  it('a second engine on the store with another generation-1 secret is refused at open; the same secret opens and matches', async () => {
    h = await harness();
    const a = await h.org('A');
    const b = await h.org('B');
    await h.engine.placeSignal(a.actor, placement(1));
    const refusal = await createEngine({
      store: h.store,
      serverSecrets: caseSecrets([[1, OTHER_SECRET]]),
      clock: h.clock.fn,
    }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'server_secret_mismatch', generation: 1 });
    // The refusal names the generation, never a key or a check value.
    const text = `${(refusal as Error).message} ${JSON.stringify(refusal)}`;
    for (const secret of [OTHER_SECRET, SERVER_SECRET]) {
      for (const v of [secret, secretCheckValue(secret, 1)]) {
        expect(text).not.toContain(v.toString('base64url'));
        expect(text).not.toContain(v.toString('hex'));
        expect(text).not.toContain(v.toString('base64'));
      }
    }
    const same = await createEngine({
      store: h.store,
      serverSecrets: caseSecrets([[1, SERVER_SECRET]]),
      clock: h.clock.fn,
    });
    await same.placeSignal(b.actor, placement(1));
    expect((await h.engine.statistics()).matches.active).toBe(1);
  });

  it('a store that records a generation the engine lacks is refused at open (secret_generation_missing)', async () => {
    h = await harness({ secrets: caseSecrets([[1, SERVER_SECRET]]) });
    await h.engine.beginSecretRotation(admin, SECRET_2);
    await expect(
      createEngine({ store: h.store, serverSecrets: caseSecrets([[1, SERVER_SECRET]]), clock: h.clock.fn }),
    ).rejects.toMatchObject({ code: 'secret_generation_missing', generation: 2 });
    // A generation-2 file that is not the rotating instance's: refused as a mismatch.
    await expect(
      createEngine({
        store: h.store,
        serverSecrets: caseSecrets([
          [1, SERVER_SECRET],
          [2, OTHER_SECRET],
        ]),
        clock: h.clock.fn,
      }),
    ).rejects.toMatchObject({ code: 'server_secret_mismatch', generation: 2 });
    // A generation 1 of another installation (a new data directory) lacking generation 2: the
    // foreign generation 1 is named first, on every start, not the file it lacks.
    for (const start of [1, 2]) {
      await expect(
        createEngine({ store: h.store, serverSecrets: caseSecrets([[1, OTHER_SECRET]]), clock: h.clock.fn }),
        `start ${start}`,
      ).rejects.toMatchObject({ code: 'server_secret_mismatch', generation: 1 });
    }
  });

  it('a running engine does not take up a rotated generation from a key file that is not the rotating one’s', async () => {
    h = await harness();
    const a = await h.org('A');
    const b = await h.org('B');
    await h.engine.placeSignal(a.actor, placement(1));
    let file: Buffer = OTHER_SECRET;
    const second = await createEngine({
      store: h.store,
      serverSecrets: caseSecrets([[1, SERVER_SECRET]]),
      clock: h.clock.fn,
      loadServerSecret: () => Buffer.from(file),
    });
    await h.engine.beginSecretRotation(admin, SECRET_2);
    await expect(second.placeSignal(b.actor, placement(1))).rejects.toMatchObject({
      code: 'server_secret_mismatch',
      generation: 2,
    });
    expect((await h.engine.statistics()).matches.active).toBe(0);
    // The right file: taken up (after the one-second pause between file reads), and it matches.
    file = SECRET_2;
    await sleep(MISSING_SECRET_RETRY_MS + 50);
    await second.placeSignal(b.actor, placement(1));
    expect((await h.engine.statistics()).matches.active).toBe(1);
  });
});
