// Tests only: sees whether every in-memory copy of a server secret was zeroed, without printing a
// byte of it. Each 32-byte Buffer that Buffer.from makes while watched is kept with what it held
// when made; `copiesOf` then finds the copies of a secret (read from its file afterwards, as the
// start may be the one that made it) and tells how many are not all zeros now.

import { vi } from 'vitest';

export interface SecretCopies {
  /** How many copies of `secret` were made while watched, and how many still hold a non-zero byte. */
  copiesOf(secret: Uint8Array): { readonly copies: number; readonly live: number };
  /** Stops watching (before reading a secret to compare, which would be a copy too). */
  stop(): void;
  /** Stops watching and zeroes what it kept. */
  restore(): void;
}

export function watchSecretCopies(bytes = 32): SecretCopies {
  const from = Buffer.from;
  const made: { buffer: Buffer; held: Uint8Array }[] = [];
  const spy = vi.spyOn(Buffer, 'from').mockImplementation(((...args: unknown[]) => {
    const b = Reflect.apply(from, Buffer, args) as Buffer;
    if (b.length === bytes) made.push({ buffer: b, held: Uint8Array.prototype.slice.call(b) });
    return b;
  }) as typeof Buffer.from);
  return {
    copiesOf(secret) {
      const copies = made.filter((m) => Buffer.compare(m.held, secret) === 0);
      return { copies: copies.length, live: copies.filter((m) => m.buffer.some((x) => x !== 0)).length };
    },
    stop() {
      spy.mockRestore();
    },
    restore() {
      spy.mockRestore();
      for (const m of made) m.held.fill(0);
      made.length = 0;
    },
  };
}
