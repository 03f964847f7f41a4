// A webhook key retirement whose logbook entry was written but whose state file was not
// (docs/keys.md §4.5 "The logbook before the change"): the real server process on SQLite,
// the keys directory put back as a crash between the two writes leaves it (the state file
// and the key file from before the retirement, the entry in the logbook). The next start
// finishes the retirement itself — the state marks the key retired, its file is destroyed,
// logged `webhook_key_retirement_finished` — instead of refusing to start; a start after that
// finds nothing to finish, and the logbook holds the retirement once.

import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, SERVER_CLI, type ServerProcess, startServer } from '../support/server-process.js';

let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
});

const admin = (s: ServerProcess, ...args: string[]) =>
  runCli(SERVER_CLI, ['admin', ...args, '--data-dir', s.dataDir, '--server', s.url]);

describe('a half-written webhook key retirement', () => {
  it('is finished by the next start, once', async () => {
    server = await startServer();
    const { dataDir } = server;
    const keys = join(dataDir, 'keys');
    const listed = async (s: ServerProcess) =>
      (
        (await (await fetch(`${s.url}/v1/server-keys`)).json()) as { webhookKeys: { keyId: string }[] }
      ).webhookKeys.map((k) => k.keyId);
    const [oldKey] = await listed(server);
    expect((await admin(server, 'rotate-webhook-key', '--switch-after-seconds', '0')).code).toBe(0);
    const rotated = await listed(server);
    expect(rotated).toHaveLength(2);
    const newKey = rotated.find((k) => k !== oldKey)!;
    // The state before the retirement: what a crash after the logbook entry leaves on disk.
    copyFileSync(join(keys, 'webhook-keys.json'), join(dataDir, 'state-before.json'));
    copyFileSync(join(keys, 'webhook-signing.key'), join(dataDir, 'key-before'));
    const retired = await admin(server, 'retire-webhook-key', '--key-id', oldKey!);
    expect(retired.code, retired.stderr).toBe(0);
    await server.stop();
    copyFileSync(join(dataDir, 'state-before.json'), join(keys, 'webhook-keys.json'));
    copyFileSync(join(dataDir, 'key-before'), join(keys, 'webhook-signing.key'));
    expect(JSON.parse(readFileSync(join(keys, 'webhook-keys.json'), 'utf8'))).toMatchObject({
      keys: expect.arrayContaining([expect.objectContaining({ keyId: oldKey, retiredAt: null })]),
    });

    server = await startServer({ dataDir });
    const out = server.output();
    expect(out).toContain(`"event":"webhook_key_retirement_finished","keyId":"${oldKey}"`);
    expect(existsSync(join(keys, 'webhook-signing.key'))).toBe(false);
    const state = JSON.parse(readFileSync(join(keys, 'webhook-keys.json'), 'utf8')) as {
      keys: { keyId: string; retiredAt: unknown }[];
    };
    expect(state.keys.find((k) => k.keyId === oldKey)!.retiredAt).not.toBeNull();
    expect(await listed(server)).toEqual([newKey]);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    await server.stop();
    server = await startServer({ dataDir });
    expect(server.output()).not.toContain('webhook_key_retirement_finished');
    const log = await admin(server, 'logbook-export');
    expect(log.stdout.split('\n').filter((l) => l.includes('"webhook_key.retired"'))).toHaveLength(1);
  }, 120_000);
});
