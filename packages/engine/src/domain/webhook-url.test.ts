// Webhook URL policy: https only, no credentials or fragment; no internal address as the
// host, nor a numeric host in any but its canonical form; plain http only with the test-only
// `allowLoopbackHttpWebhooks` AND a loopback host, so a notification can never travel
// unencrypted over a network (docs/operations.md).

import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { type Harness, harness } from '../testing/harness.js';
import { webhookOk } from './webhook-url.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const LOOPBACK = ['http://127.0.0.1:8081/hook', 'http://[::1]:9000/h', 'http://localhost/hook'];
const NEVER = [
  'http://example.nl/hook',
  'http://10.0.0.1/hook',
  'http://127.0.0.1.example.nl/hook',
  'http://localhost.example.nl/hook',
  'http://user:pw@127.0.0.1/hook',
  'http://127.0.0.1/hook#frag',
  'ftp://127.0.0.1/hook',
  'not a url',
];

/** Reported in the review: each was accepted at registration. */
const INTERNAL = [
  'https://169.254.169.254/latest/meta-data',
  'https://10.0.0.1/hook',
  'https://2130706433/hook',
  'https://0x7f.1/hook',
  'https://017700000001/hook',
  'https://127.1/hook',
  'https://127.0.0.1./hook',
  'https://[::1]:22/hook',
  'https://[0:0:0:0:0:0:0:1]/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://[::ffff:a9fe:a9fe]/hook',
  'https://[fd00:ec2::254]/hook',
  'https://[fe80::1]/hook',
  'https://[ff02::1]/hook',
  'https://0.0.0.0/hook',
  'https://[::]/hook',
  'https://192.168.1.10/hook',
  'https://172.16.5.4:8443/hook',
  'https://100.64.1.1/hook',
  'https://224.0.0.1/hook',
  'https://localhost/hook',
  'https://localhost./hook',
  'https://api.localhost/hook',
  'https://intranet/hook',
];

describe('webhook URL policy', () => {
  it('refuses loopback, link-local, metadata, private, unique-local, multicast, unspecified and non-canonical numeric hosts', () => {
    for (const url of INTERNAL) expect(webhookOk(url), url).toBe(false);
    for (const url of INTERNAL.filter((u) => !/127\.0\.0\.1\/|\[::1\]|localhost\//.test(u))) {
      expect(webhookOk(url, true), `${url} with the loopback flag`).toBe(false);
    }
    for (const url of [
      'https://zorg.example.nl/hook',
      'https://zorg.example.nl./hook',
      'https://93.184.216.34/hook',
      'https://[2a00:1450:4001::1]:8443/hook',
      'https://xn--zrg-una.example/hook',
    ]) {
      expect(webhookOk(url), url).toBe(true);
    }
  });

  it('accepts https and refuses http everywhere by default', () => {
    expect(webhookOk('https://zorg.example.nl/hook')).toBe(true);
    expect(webhookOk(null)).toBe(true);
    for (const url of [...LOOPBACK, ...NEVER]) expect(webhookOk(url), url).toBe(false);
  });

  it('with allowLoopbackHttp accepts http on loopback hosts only', () => {
    for (const url of LOOPBACK) expect(webhookOk(url, true), url).toBe(true);
    for (const url of NEVER) expect(webhookOk(url, true), url).toBe(false);
    expect(webhookOk('https://user:pw@zorg.example.nl/', true)).toBe(false);
  });

  it('is off by default and must be a boolean in the engine config', () => {
    expect(resolveConfig().allowLoopbackHttpWebhooks).toBe(false);
    expect(() => resolveConfig({ allowLoopbackHttpWebhooks: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'config_invalid', fields: ['allowLoopbackHttpWebhooks'] }),
    );
  });

  it('admission and update follow the engine flag', async () => {
    h = await harness();
    await expect(h.org('A', { webhookUrl: LOOPBACK[0]! })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: ['webhookUrl'],
    });
    await h.close();
    h = await harness({ config: { allowLoopbackHttpWebhooks: true } });
    const a = await h.org('A', { webhookUrl: LOOPBACK[0]! });
    expect(a.org.webhookUrl).toBe(LOOPBACK[0]);
    await expect(
      h.engine.updateOrganisation({ kind: 'admin', keyId: 'admin-key' }, a.org.id, {
        webhookUrl: 'http://example.nl/hook',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', fields: ['webhookUrl'] });
  });
});
