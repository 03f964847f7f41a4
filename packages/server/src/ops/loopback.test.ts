// The one loopback rule (docs/operations.md "PostgreSQL", TLS): the same table of hosts through
// the rule itself and through both of its users — `--database-tls auto` (off only on loopback)
// and the mail configuration's `tls: none` (allowed only to a loopback relay). A name that begins
// like a loopback address is a remote host; other spellings of an address are remote too.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../cli/config.js';
import { resolveDatabaseTls } from '../cli/config-validation.js';
import { loadMailConfig } from '../mail/mail-config.js';
import { isLoopbackHost } from './loopback.js';

const LOOPBACK = ['localhost', '127.0.0.1', '127.0.0.53', '127.255.255.254', '::1', '[::1]'];
const REMOTE = [
  '127.db.example.nl',
  '127.0.0.1.example.net',
  'localhost.example.nl',
  'localhost.',
  'LOCALHOST',
  '127.1',
  '2130706433',
  '0x7f000001',
  '127.0.0.256',
  '::ffff:127.0.0.1',
  '0:0:0:0:0:0:0:1',
  '[0:0:0:0:0:0:0:1]',
  '128.0.0.1',
  '10.0.0.5',
  'db.example.nl',
  '',
];

const dir = mkdtempSync(join(tmpdir(), 'sluis-loopback-'));

function mailWithTlsNone(host: string): 'accepted' | 'refused' {
  const path = join(dir, 'mail.json');
  writeFileSync(
    path,
    JSON.stringify({
      host,
      port: 25,
      tls: 'none',
      from: 'sluis <noreply@gemeente.example.nl>',
      portalUrl: 'https://sluis.gemeente.example.nl/',
    }),
  );
  try {
    loadMailConfig(path);
    return 'accepted';
  } catch {
    return 'refused';
  }
}

describe('isLoopbackHost', () => {
  it.each(LOOPBACK)('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each(REMOTE)('%j is not', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('its users', () => {
  it('--database-tls auto is off on exactly the loopback hosts, verify-full on every other', () => {
    for (const host of LOOPBACK) expect(resolveDatabaseTls('auto', [{ host }], false)).toBe(false);
    for (const host of REMOTE) expect(resolveDatabaseTls('auto', [{ host }], false)).toBe('verify-full');
    // A CA file asks for verification, loopback too.
    expect(resolveDatabaseTls('auto', [{ host: '::1' }], true)).toBe('verify-full');
  });

  it('the mail config takes tls none to exactly the loopback hosts', () => {
    for (const host of LOOPBACK) expect(mailWithTlsNone(host), host).toBe('accepted');
    // The empty host fails the file's schema; every other remote host is refused for its tls.
    for (const host of REMOTE) expect(mailWithTlsNone(host), host).toBe('refused');
  });

  it('no PostgreSQL URL names ::1: the URL check refuses an IPv6 address before the rule is asked', () => {
    for (const host of ['[::1]', '::1']) {
      expect(() =>
        loadConfig({ flags: { 'database-url': `postgres://sluis@${host}/sluis` }, env: {}, cwd: dir }),
      ).toThrow(/databaseUrl/);
    }
  });
});
