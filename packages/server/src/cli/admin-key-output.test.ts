// What the key commands of `sluis-server admin` print (docs/keys.md §4.1, §4.2, §4.5, §4.6):
// a rotation names the key file to copy to every other instance and to back up (a webhook key's
// by the data directory the command was given, else by key id), a webhook key
// that signs at once never says "before" a moment already past, `keys` shows each key's public
// key (what the pseudonym service admits), and `register-epoch` prints a summary, its JSON
// only with --json. In-process through main(argv, env, io), against a running server.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSigningKeyFile } from '@sluis/client-sdk/node';
import { base64url } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { captureCliIo } from '../testing/cli-io.js';
import { caseKey } from '../../../../test/support/case-keys.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-cli-keys-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sluis-server admin key commands print what to do next', () => {
  it('rotate-server-secret, rotate-webhook-key, retire-webhook-key, keys and register-epoch', async () => {
    const srv = captureCliIo(dir);
    const running = main(['start', '--data-dir', 'data', '--port', '0'], {}, srv.io);
    const url = await srv.waitStarted();
    try {
      const admin = async (argv: string[]) => {
        const c = captureCliIo(dir);
        const code = await main(['admin', ...argv, '--server', url, '--data-dir', 'data'], {}, c.io);
        return { code, out: c.out(), err: c.err() };
      };

      const secret = await admin(['rotate-server-secret']);
      expect(secret.code).toBe(0);
      expect(secret.out).toContain('rotation to 2 running');
      expect(secret.out).toContain(
        'next: copy keys/server-secret-2.key (mode 0600, owned by the service user) from this instance',
      );
      expect(secret.out).toContain('every other instance now');
      expect(secret.out).toContain('then: back it up with the key backup, apart from the database backups');

      // A switch at once (the compromise playbook): no "before" of a moment already past.
      const first = (await admin(['server-keys'])).out.split(' ')[0]!;
      const now = await admin(['rotate-webhook-key', '--switch-after-seconds', '0']);
      expect(now.code).toBe(0);
      expect(now.out).toMatch(/^new webhook key \S+ signs from now on \(/);
      expect(now.out).toContain('to every organisation that receives webhooks at once');
      expect(now.out).not.toContain('before');
      // The API answer names no file; the data directory this command was given does.
      const keysDir = join(dir, 'data', 'keys');
      expect(now.out).toContain(
        `next: copy ${join(keysDir, 'webhook-signing-2.key')} and then ${join(keysDir, 'webhook-keys.json')} (the key file first, mode 0600) to every other instance's keys directory now`,
      );
      expect(now.out).toContain('then: back up webhook-signing-2.key with the key backup');
      const retired = await admin(['retire-webhook-key', '--key-id', first]);
      expect(retired.code).toBe(0);
      expect(retired.out).toContain(
        "next: copy keys/webhook-keys.json to every other instance's keys directory and delete the retired key's file there",
      );

      // A switch in a week: the organisations get the key before that moment, named. Run from
      // a workstation (its own copy of the admin key, no data directory of the server's): the
      // file cannot be read from here, so the line says where to find it, by key id.
      const c = captureCliIo(dir);
      const laterCode = await main(
        [
          'admin',
          'rotate-webhook-key',
          '--switch-after-seconds',
          '604800',
          '--server',
          url,
          '--data-dir',
          'workstation',
          '--admin-key-file',
          join('data', 'keys', 'admin.key'),
        ],
        {},
        c.io,
      );
      const later = { code: laterCode, out: c.out() };
      expect(later.code).toBe(0);
      const laterId = /^new webhook key (\S+) /.exec(later.out)?.[1];
      expect(later.out).toContain(
        `next: copy keys/webhook-keys.json and the new key's file — the webhook-signing-<n>.key that the webhook-keys.json of the instance that answered lists for ${laterId} (${join(dir, 'workstation', 'keys', 'webhook-keys.json')} does not) — from that instance's keys directory`,
      );
      expect(later.out).toContain('then: back up the new key file with the key backup');
      // … which is webhook-signing-3.key there (a retired key keeps its number)
      expect(
        (
          JSON.parse(readFileSync(join(keysDir, 'webhook-keys.json'), 'utf8')) as {
            keys: { keyId: string; file: string }[];
          }
        ).keys.find((k) => k.keyId === laterId)?.file,
      ).toBe('webhook-signing-3.key');
      const signFrom = /signs from (\S+);/.exec(later.out)?.[1];
      expect(signFrom).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(later.out).toContain(`receives webhooks before ${signFrom}\n`);

      const keys = await admin(['keys']);
      expect(keys.code).toBe(0);
      const adminKey = caseKey(await loadSigningKeyFile(join(dir, 'data', 'keys', 'admin.key')));
      expect(keys.out).toContain(`${adminKey.keyId}  admin`);
      expect(keys.out).toContain(base64url.encode(adminKey.publicKey));
      adminKey.destroy();

      const epoch = await admin(['register-epoch', '--epoch', '2']);
      expect(epoch.code).toBe(0);
      expect(epoch.out).toBe(
        'epoch 2 registered: hmac, active\nnext: organisations configure epoch 2 and migrate their signals; follow with epoch-progress (docs/keys.md §4.1)\n',
      );
      const json = await admin(['register-epoch', '--epoch', '3', '--json']);
      expect(JSON.parse(json.out)).toMatchObject({ epoch: { epoch: 3, kind: 'hmac', status: 'active' } });
    } finally {
      srv.stop();
      expect(await running).toBe(0);
    }
  }, 60_000);
});
