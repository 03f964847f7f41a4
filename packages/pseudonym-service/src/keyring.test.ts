// The OPRF keys in memory (docs/operations.md "Pseudonym service", Keys in memory): every copy
// of a key's bytes the keyring decodes is zeroed once it is no longer used — a key file
// refused, the keys a failed re-read had read, every key on destroy() — and a destroyed
// keyring refuses every use, never evaluating under a zeroed key. Its holders zero it on every
// way out: the service's stop, a start that fails once it holds the keys, `public-keys`.

import { mkdirSync, mkdtempSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { base64url } from '@sluis/client-sdk';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { openDataDir } from './data-dir.js';
import { createEpochKey } from './command-change.js';
import { OprfKeyring, writeEpochKey } from './keyring.js';
import { startPseudonymService } from './service.js';
import { cli, serviceConfig, startedServices } from './testing/cli.js';
import { openFilesUnder, secretOf, watchDecodes } from './testing/key-copies.js';

const { running, start } = startedServices();

function dataDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-keys-')), 'data');
  mkdirSync(dir, { mode: 0o700 });
  return openDataDir(dir);
}

/** A key file the keyring refuses, holding `bytes` (a wrong length, or a scalar ≥ L). */
function badKeyFile(dir: string, epoch: number, bytes: Uint8Array): void {
  writeFileSync(join(dir, 'keys', `oprf-epoch-${epoch}.key`), `${base64url.encode(bytes)}\n`, {
    mode: 0o600,
  });
}

/** keys/ changed: a new mtime, so the next reload() reads it (the clock may not have moved). */
let bump = 0;
function touchKeys(dir: string): void {
  const t = new Date(Date.now() + 60_000 + 1000 * ++bump);
  utimesSync(join(dir, 'keys'), t, t);
}

const blinded = () => ristretto255_oprf.voprf.blind(new Uint8Array([1, 2, 3])).blinded;
const random = (n: number) => Uint8Array.from({ length: n }, () => 1 + Math.floor(Math.random() * 255));
const destroyed = expect.objectContaining({
  code: 'internal',
  message: 'internal: the OPRF keys are destroyed',
});

describe('OprfKeyring', () => {
  it('destroy() zeroes every epoch’s key, is idempotent, and refuses every use afterwards', () => {
    const dir = dataDir();
    createEpochKey(dir, 1);
    createEpochKey(dir, 2);
    const watch = watchDecodes();
    const keyring = new OprfKeyring(dir);
    onTestFinished(() => keyring.destroy());
    watch.stop();
    const secrets = [secretOf(dir, 1), secretOf(dir, 2)];
    expect(secrets.map((s) => watch.copiesOf(s))).toEqual([
      { copies: 1, live: 1 },
      { copies: 1, live: 1 },
    ]);
    const element = blinded();
    expect(keyring.evaluate(1, [element]).evaluated).toHaveLength(1);
    keyring.destroy();
    expect(secrets.map((s) => watch.copiesOf(s))).toEqual([
      { copies: 1, live: 0 },
      { copies: 1, live: 0 },
    ]);
    keyring.destroy();
    // An epoch added afterwards is not read either: a destroyed keyring never holds a key again.
    createEpochKey(dir, 3);
    touchKeys(dir);
    const again = watchDecodes();
    const uses: (() => unknown)[] = [
      () => keyring.evaluate(1, [element]),
      () => keyring.evaluate(3, [element]),
      () => keyring.reload(),
      () => keyring.has(1),
      () => keyring.publicKeys(),
    ];
    for (const use of uses) expect(use).toThrow(destroyed);
    expect(again.calls()).toBe(0);
    expect(keyring.toJSON()).toEqual({ epochs: [] });
  });

  it.each([
    ['33 bytes', () => random(33)],
    ['31 bytes', () => random(31)],
    ['a scalar ≥ L that noble refuses', () => new Uint8Array(32).fill(0xff)],
  ])('a key file of %s is refused with its decoded bytes zeroed, and the keys read before it', (_, bytes) => {
    const dir = dataDir();
    createEpochKey(dir, 1);
    const bad = bytes();
    badKeyFile(dir, 2, bad);
    const watch = watchDecodes();
    expect(() => new OprfKeyring(dir)).toThrow(expect.objectContaining({ code: 'key_file_invalid' }));
    watch.stop();
    // Non-zero when decoded, all zeros after the refusal; the good epoch read before it too.
    expect(watch.copiesOf(bad)).toEqual({ copies: 1, live: 0 });
    expect(watch.copiesOf(secretOf(dir, 1))).toEqual({ copies: 1, live: 0 });
  });

  it('a re-read that fails zeroes what it read and keeps the last good keys; the next good one zeroes those', () => {
    const dir = dataDir();
    createEpochKey(dir, 1);
    const first = watchDecodes();
    const keyring = new OprfKeyring(dir);
    onTestFinished(() => keyring.destroy());
    first.stop();
    const one = secretOf(dir, 1);
    const element = blinded();
    const before = keyring.evaluate(1, [element]).evaluated;

    createEpochKey(dir, 2);
    const bad = random(33);
    badKeyFile(dir, 3, bad);
    touchKeys(dir);
    const failed = watchDecodes();
    expect(() => keyring.reload()).toThrow(expect.objectContaining({ code: 'key_file_invalid' }));
    failed.stop();
    const two = secretOf(dir, 2);
    // The failed pass's copies of epochs 1 and 2 and the refused bytes: all zeroed.
    expect([one, two, bad].map((s) => failed.copiesOf(s))).toEqual([
      { copies: 1, live: 0 },
      { copies: 1, live: 0 },
      { copies: 1, live: 0 },
    ]);
    // The keys of the last good read still evaluate (the service answers 500 meanwhile: every
    // request re-reads first), and epoch 2 is not taken from the failed pass.
    expect(first.copiesOf(one)).toEqual({ copies: 1, live: 1 });
    expect(keyring.evaluate(1, [element]).evaluated).toEqual(before);
    expect(keyring.has(2)).toBe(false);
    // Retried on the next call until it succeeds: the previous keys are zeroed then.
    expect(() => keyring.reload()).toThrow(expect.objectContaining({ code: 'key_file_invalid' }));
    unlinkSync(join(dir, 'keys', 'oprf-epoch-3.key'));
    touchKeys(dir);
    const fixed = watchDecodes();
    keyring.reload();
    fixed.stop();
    expect(first.copiesOf(one)).toEqual({ copies: 1, live: 0 });
    expect([one, two].map((s) => fixed.copiesOf(s))).toEqual([
      { copies: 1, live: 1 },
      { copies: 1, live: 1 },
    ]);
    expect(keyring.evaluate(1, [element]).evaluated).toEqual(before);
    expect(keyring.has(2)).toBe(true);
  });
});

describe('add-epoch', () => {
  it('zeroes the new key’s bytes once its file is written, and when the file already exists', () => {
    const dir = dataDir();
    // What createEpochKey hands to base64url.encode is the new key's own bytes (noble's
    // generateKeyPair result): kept with what it held when encoded, to be looked at afterwards.
    const encode = base64url.encode;
    const encoded: { bytes: Uint8Array; held: Uint8Array }[] = [];
    const spy = vi.spyOn(base64url, 'encode').mockImplementation((bytes: Uint8Array) => {
      encoded.push({ bytes, held: bytes.slice() });
      return encode(bytes);
    });
    onTestFinished(() => {
      spy.mockRestore();
      for (const e of encoded) e.held.fill(0);
    });
    createEpochKey(dir, 4);
    // createEpochKey refuses an existing epoch before it makes a key; the step that makes and
    // writes one (the other process's, when two add the same epoch at once) is refused at the open.
    expect(() => writeEpochKey(dir, 4)).toThrow(expect.objectContaining({ code: 'key_file_exists' }));
    spy.mockRestore();
    // Written: the file holds what was encoded, and those bytes are zeros now. Refused: a
    // second, different key, zeroed too.
    expect(encoded).toHaveLength(2);
    const [written, refused] = encoded as [(typeof encoded)[0], (typeof encoded)[0]];
    expect(Buffer.compare(written.held, secretOf(dir, 4))).toBe(0);
    expect(Buffer.compare(written.held, refused.held)).not.toBe(0);
    for (const e of encoded) {
      expect(e.held.some((x) => x !== 0)).toBe(true);
      expect(e.bytes).toEqual(new Uint8Array(32));
    }
  });
});

describe('the keyring’s holders zero it on every way out', () => {
  it('the service’s stop', async () => {
    const dir = dataDir();
    createEpochKey(dir, 7);
    const watch = watchDecodes();
    const service = await start(dir);
    watch.stop();
    const secret = secretOf(dir, 7);
    expect(watch.copiesOf(secret)).toEqual({ copies: 1, live: 1 });
    running.pop();
    await service.close();
    expect(watch.copiesOf(secret)).toEqual({ copies: 1, live: 0 });
  });

  it('a start that fails once it holds the keys: admission.json refused', async () => {
    const dir = dataDir();
    createEpochKey(dir, 7);
    writeFileSync(join(dir, 'admission.json'), 'not json\n', { mode: 0o600 });
    const watch = watchDecodes();
    await expect(startPseudonymService(serviceConfig(dir))).rejects.toMatchObject({
      code: 'key_file_invalid',
    });
    watch.stop();
    expect(watch.copiesOf(secretOf(dir, 7))).toEqual({ copies: 1, live: 0 });
    expect(openFilesUnder(dir)).toEqual([]);
  });

  it('a start that fails once nonces.log is open: metrics.token refused — no file of the data directory left open, the lock released', async () => {
    const dir = dataDir();
    createEpochKey(dir, 7);
    const token = join(dir, 'metrics.token');
    writeFileSync(token, 'too short\n', { mode: 0o600 });
    const watch = watchDecodes();
    await expect(startPseudonymService(serviceConfig(dir))).rejects.toMatchObject({
      code: 'key_file_invalid',
    });
    watch.stop();
    expect(openFilesUnder(dir)).toEqual([]);
    expect(watch.copiesOf(secretOf(dir, 7))).toEqual({ copies: 1, live: 0 });
    // Once the file is fixed (a start makes a missing one), the next start is not refused.
    unlinkSync(token);
    const service = await start(dir);
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('a start that fails once it holds the keys: the port taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as { port: number }).port;
    const dir = dataDir();
    createEpochKey(dir, 7);
    const watch = watchDecodes();
    await expect(startPseudonymService(serviceConfig(dir, { port }))).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    watch.stop();
    expect(watch.copiesOf(secretOf(dir, 7))).toEqual({ copies: 1, live: 0 });
    // nonces.log and the logbook were open: both closed.
    expect(openFilesUnder(dir)).toEqual([]);
    // Released as before: the next start on this data directory is not refused.
    const service = await start(dir);
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('public-keys, done or refused', async () => {
    const dir = dataDir();
    createEpochKey(dir, 1);
    createEpochKey(dir, 2);
    const watch = watchDecodes();
    const listed = await cli(['public-keys', '--data-dir', dir]);
    watch.stop();
    expect([listed.code, listed.out.split('\n').length]).toEqual([0, 3]);
    const secrets = [secretOf(dir, 1), secretOf(dir, 2)];
    expect(secrets.map((s) => watch.copiesOf(s))).toEqual([
      { copies: 1, live: 0 },
      { copies: 1, live: 0 },
    ]);

    const bad = random(33);
    badKeyFile(dir, 3, bad);
    const refused = watchDecodes();
    const r = await cli(['public-keys', '--data-dir', dir]);
    refused.stop();
    expect([r.code, r.err]).toEqual([
      2,
      `sluis-pseudonym-service: key_file_invalid: ${join(dir, 'keys', 'oprf-epoch-3.key')}\n`,
    ]);
    expect([...secrets, bad].map((s) => refused.copiesOf(s))).toEqual([
      { copies: 1, live: 0 },
      { copies: 1, live: 0 },
      { copies: 1, live: 0 },
    ]);
  });
});
