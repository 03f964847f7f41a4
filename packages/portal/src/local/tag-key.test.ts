// The lookup tag is a keyed MAC under this browser's key (docs/portal.md "What stays in the
// browser", docs/threat-model.md §5.9): not the unkeyed SHA-256 of the pseudonym the portal
// kept before, different under every key, and the key cannot be read out.
import { createHash, createHmac } from 'node:crypto';
import { base64url } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { generateTagKey, LOOKUP_TAG_DOMAIN, lookupTag, lookupTags } from './tag-key.js';

const PSEUDONYM = 'q3Yx0Zc1mS2v7p6bT9kLr4wE8hJ5nA0dF1gH2iK3lM4';
const RAW_KEY = new Uint8Array(Array.from({ length: 32 }, (_, i) => i + 1));

const importKey = (raw: Uint8Array<ArrayBuffer>) =>
  crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

describe('lookupTag', () => {
  it('is HMAC-SHA-256 over the domain, a zero byte and the pseudonym (checked with node:crypto)', async () => {
    const expected = createHmac('sha256', RAW_KEY)
      .update(Buffer.concat([Buffer.from(LOOKUP_TAG_DOMAIN), Buffer.from([0]), Buffer.from(PSEUDONYM)]))
      .digest('base64url');
    expect(await lookupTag(await importKey(RAW_KEY), PSEUDONYM)).toBe(expected);
  });

  it('is not the unkeyed SHA-256 of the pseudonym the portal kept before', async () => {
    const unkeyed = base64url.encode(createHash('sha256').update(PSEUDONYM).digest());
    const tag = await lookupTag(await generateTagKey(), PSEUDONYM);
    expect(tag).not.toBe(unkeyed);
    expect(tag).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs under another key (another browser or person), and is the same under one key', async () => {
    const [a, b] = [await generateTagKey(), await generateTagKey()];
    expect(await lookupTag(a, PSEUDONYM)).not.toBe(await lookupTag(b, PSEUDONYM));
    expect(await lookupTag(a, PSEUDONYM)).toBe(await lookupTag(a, PSEUDONYM));
  });

  it('one tag per epoch', async () => {
    const key = await generateTagKey();
    const tags = await lookupTags(key, [
      { epoch: 2, value: 'two' },
      { epoch: 3, value: 'three' },
    ]);
    expect(tags).toEqual({ '2': await lookupTag(key, 'two'), '3': await lookupTag(key, 'three') });
  });
});

describe('generateTagKey', () => {
  it('makes a non-extractable HMAC-SHA-256 key whose bytes no script can export', async () => {
    const key = await generateTagKey();
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' } });
    expect(key.usages).toEqual(['sign']);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
  });
});
