// Nothing secret in output: the raw BSN, the pseudonym key and the signing key never
// appear in errors, toString, JSON or util.inspect of SDK objects, the client included.

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SluisError } from '../errors.js';
import { base64, base64url, bytesToHex } from '../protocol/encoding.js';
import { checkBsn } from '../protocol/identifier.js';
import { PSEUDONYM_KEY_1, SEED, harness, validBsn, CONTACT, INFORMED } from '../testing/fixtures.js';

const BSN = validBsn(3);

function secrets(): string[] {
  return [
    BSN,
    BSN.slice(1),
    bytesToHex(PSEUDONYM_KEY_1),
    base64url.encode(PSEUDONYM_KEY_1),
    base64.encode(PSEUDONYM_KEY_1),
    bytesToHex(SEED),
    base64url.encode(SEED),
  ];
}

function renderings(x: unknown): string {
  return [
    String(x),
    JSON.stringify(x),
    inspect(x, { showHidden: true, depth: 20, getters: true }),
    x instanceof Error ? `${x.message} ${x.stack ?? ''}` : '',
  ].join('\n');
}

describe('redaction', () => {
  it('the client shows only server URL, key id and epochs', () => {
    const { client, signingKey } = harness();
    const text = renderings(client);
    for (const s of secrets()) expect(text).not.toContain(s);
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      serverUrl: 'https://sluis.example.nl',
      keyId: signingKey.keyId,
      epochs: [1],
    });
    expect(String(client)).toBe(`SluisClient(https://sluis.example.nl, key ${signingKey.keyId}, epochs 1)`);
    expect(Object.keys(client)).toEqual([]);
  });

  it('errors about a BSN, its parents or the input never carry their values', async () => {
    const { client } = harness();
    const errors: unknown[] = [];
    for (const input of [
      { bsn: `${BSN.slice(0, 8)}0`, contact: CONTACT, informed: INFORMED },
      { bsn: BSN, contact: CONTACT, informed: INFORMED, parentsBsn: [BSN] },
      { bsn: BSN, contact: { name: BSN, role: 'r' }, informed: INFORMED },
      { bsn: BSN, contact: CONTACT, informed: INFORMED, endDate: BSN },
    ]) {
      await client.placeSignal(input as never).catch((e: unknown) => errors.push(e));
    }
    expect(errors).toHaveLength(4);
    for (const e of errors) {
      expect(e).toBeInstanceOf(SluisError);
      const text = renderings(e);
      for (const s of secrets()) expect(text).not.toContain(s);
    }
  });

  it('identifier and key objects redact themselves', () => {
    const r = checkBsn(BSN);
    if (!r.ok) throw new Error('fixture');
    const { signingKey } = harness();
    for (const x of [r.identifier, signingKey]) {
      const text = renderings(x);
      for (const s of secrets()) expect(text).not.toContain(s);
    }
  });
});
