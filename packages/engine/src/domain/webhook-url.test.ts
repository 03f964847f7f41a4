// Webhook URL policy: https only, no credentials or fragment; plain http only with the
// test-only `allowLoopbackHttpWebhooks` AND a loopback host, so a notification can never
// travel unencrypted over a network (docs/operations.md).

import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { type Harness, harness } from '../testing/harness.js';
import { webhookOk } from './organisations.js';

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

describe('webhook URL policy', () => {
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
