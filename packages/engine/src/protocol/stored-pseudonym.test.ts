// ServerSecrets.destroy(): every copy it holds is zeroed, and a destroyed holder refuses every
// use with store_closed — it must never derive a stored value under a zeroed key.

import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ServerSecrets, storedPseudonymGen1 } from './stored-pseudonym.js';

/** The 32-byte Buffers Buffer.from makes while `run` runs: the holder's own copies. */
function copiesMade(run: () => void): Buffer[] {
  const from = Buffer.from;
  const made: Buffer[] = [];
  const spy = vi.spyOn(Buffer, 'from').mockImplementation(((...args: unknown[]) => {
    const b = Reflect.apply(from, Buffer, args) as Buffer;
    if (b.length === 32) made.push(b);
    return b;
  }) as typeof Buffer.from);
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return made;
}

const zero = (b: Uint8Array) => b.every((x) => x === 0);

describe('ServerSecrets.destroy', () => {
  it('zeroes every generation’s copy, the added ones too, and leaves the caller’s bytes alone', () => {
    const g1 = randomBytes(32);
    const g2 = randomBytes(32);
    const g3 = randomBytes(32);
    let secrets!: ServerSecrets;
    // On every path; the case's own destroy() below is what it checks (destroy() is idempotent).
    onTestFinished(() => secrets?.destroy());
    const copies = copiesMade(() => {
      secrets = new ServerSecrets(
        new Map([
          [1, g1],
          [2, g2],
        ]),
      );
      secrets.addGeneration(g3);
    });
    // One copy of each generation, each holding its secret until destroy().
    expect(copies).toHaveLength(3);
    expect(copies.map((c, i) => c.equals([g1, g2, g3][i]!))).toEqual([true, true, true]);
    secrets.destroy();
    expect(copies.map(zero)).toEqual([true, true, true]);
    expect([g1, g2, g3].map(zero)).toEqual([false, false, false]);
    // Idempotent.
    secrets.destroy();
  });

  it('refuses every use afterwards with store_closed, never a value under a zeroed key', () => {
    const secret = randomBytes(32);
    const secrets = new ServerSecrets(new Map([[1, secret]]));
    onTestFinished(() => secrets.destroy());
    const pseudonym = randomBytes(32);
    const before = secrets.derive(1, pseudonym);
    expect(before[0]!.equals(storedPseudonymGen1(secret, 1, pseudonym))).toBe(true);
    secrets.destroy();
    const uses: (() => unknown)[] = [
      () => secrets.derive(1, pseudonym),
      () => secrets.rekey(1, before[0]!),
      () => secrets.checkValue(1),
      () => secrets.requestHashGen1('input'),
      () => secrets.rekeyRequestHash(1, randomBytes(8)),
      () => secrets.addGeneration(randomBytes(32)),
      () => secrets.ensureGeneration(1, secret),
      () => secrets.ensureGeneration(2, randomBytes(32)),
    ];
    for (const use of uses) expect(use).toThrow(expect.objectContaining({ code: 'store_closed' }));
    expect(() => secrets.derive(1, pseudonym)).toThrow('the server secrets are destroyed');
  });
});
