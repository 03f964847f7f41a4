// What the pseudonym service's tests check once a start or a stop is over (docs/operations.md
// "Pseudonym service", Keys in memory and Stopping): the copies of an OPRF key the keyring
// decoded, and whether they still hold a non-zero byte; and the descriptors this process holds
// open on a data directory's files.

import { readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { base64url } from '@sluis/client-sdk';
import { onTestFinished, vi } from 'vitest';

/**
 * Watches what `base64url.decode` returns (the keyring decodes each key file with it): each
 * result is kept with what it held when made, so `copiesOf(secret)` (the secret read from its
 * file afterwards) tells how many copies were made and how many still hold a non-zero byte.
 */
export function watchDecodes() {
  const decode = base64url.decode;
  const made: { bytes: Uint8Array; held: Uint8Array }[] = [];
  const spy = vi.spyOn(base64url, 'decode').mockImplementation((text: string) => {
    const bytes = decode(text);
    if (bytes !== undefined) made.push({ bytes, held: bytes.slice() });
    return bytes;
  });
  const stop = () => spy.mockRestore();
  onTestFinished(() => {
    stop();
    for (const m of made) m.held.fill(0);
  });
  return {
    stop,
    calls: () => spy.mock.calls.length,
    copiesOf(secret: Uint8Array) {
      const copies = made.filter((m) => Buffer.compare(m.held, secret) === 0);
      return { copies: copies.length, live: copies.filter((m) => m.bytes.some((x) => x !== 0)).length };
    },
  };
}

/** Epoch `e`'s secret key as its file holds it (the test's own copy, zeroed after the test). */
export function secretOf(dir: string, epoch: number): Uint8Array {
  const bytes = base64url.decode(readFileSync(join(dir, 'keys', `oprf-epoch-${epoch}.key`), 'utf8').trim())!;
  onTestFinished(() => {
    bytes.fill(0);
  });
  return bytes;
}

/** The files under `dir` this process has a descriptor of (the links of /proc/self/fd). */
export function openFilesUnder(dir: string): string[] {
  const real = realpathSync(dir);
  const files: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(join('/proc/self/fd', fd));
      if (target === real || target.startsWith(`${real}/`)) files.push(target);
    } catch {
      // the descriptor readdir itself used, closed by now
    }
  }
  return files;
}
