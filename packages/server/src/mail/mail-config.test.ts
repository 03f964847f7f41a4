// The mail configuration file (docs/operations.md "Match notice e-mail"): a good file is
// read with its defaults and its credentials; each bad one stops the start with the field
// named and never the value — TLS off to a non-loopback host, a portal URL that could carry
// a secret, a credentials file others may read, a malformed file.

import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { loadMailConfig } from './mail-config.js';
import { matchNoticeMessage } from './match-notice.js';
import { smtpFailureCode } from './mail-worker.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-mail-config-'));
const SECRET = 'hunter2-not-in-any-message';

function file(name: string, body: unknown, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body), { mode });
  chmodSync(path, mode);
  return path;
}

const base = {
  host: 'smtp.gemeente.example.nl',
  port: 587,
  tls: 'starttls',
  from: 'sluis <noreply@gemeente.example.nl>',
  portalUrl: 'https://sluis.gemeente.example.nl/',
};

function refusal(path: string): ServerError {
  try {
    loadMailConfig(path);
  } catch (e) {
    if (e instanceof ServerError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('mail configuration', () => {
  it('reads a good file with its defaults and the credentials file beside it', () => {
    file('creds.json', { user: 'notices', pass: SECRET });
    const c = loadMailConfig(file('good.json', { ...base, credentialsFile: 'creds.json' }));
    expect(c).toMatchObject({
      host: base.host,
      port: 587,
      tls: 'starttls',
      intervalSeconds: 30,
      timeoutSeconds: 30,
    });
    expect(c.auth).toEqual({ user: 'notices', pass: SECRET });
  });

  it('refuses tls none to another host, a portal URL with a query or fragment, and names only the field', () => {
    const none = refusal(file('none.json', { ...base, tls: 'none' }));
    expect(none.code).toBe('mail_config_invalid');
    expect(none.message).toContain('tls');
    expect(loadMailConfig(file('local.json', { ...base, host: '127.0.0.1', tls: 'none' })).tls).toBe('none');
    for (const portalUrl of [
      'https://x.example.nl/?token=abc',
      'https://x.example.nl/#m',
      'https://u:p@x.example.nl/',
    ]) {
      const e = refusal(file('portal.json', { ...base, portalUrl }));
      expect(e.message).toContain('portalUrl');
      expect(e.message).not.toContain('token=abc');
    }
    const bad = refusal(file('port.json', { ...base, port: 'x', from: SECRET }));
    expect(bad.message).not.toContain(SECRET);
    expect(refusal(file('junk.json', '{not json')).code).toBe('mail_config_invalid');
    expect(refusal(file('extra.json', { ...base, password: SECRET })).message).not.toContain(SECRET);
  });

  it('refuses a credentials file that others may read, or one without user and pass', () => {
    file('open-creds.json', { user: 'u', pass: SECRET }, 0o644);
    expect(refusal(file('open.json', { ...base, credentialsFile: 'open-creds.json' })).code).toBe(
      'key_file_insecure',
    );
    file('half-creds.json', { user: 'u' });
    const e = refusal(file('half.json', { ...base, credentialsFile: 'half-creds.json' }));
    expect(e.code).toBe('mail_credentials_invalid');
    expect(e.message).toContain('pass');
  });

  it('the message is fixed text with the portal link only; failures map to coarse codes', () => {
    const m = matchNoticeMessage('https://sluis.gemeente.example.nl/');
    expect(m.subject).toBe('Nieuwe match in sluis / New match in sluis');
    expect(m.text).toContain('There is a new match in sluis. Sign in to see it:');
    expect([...m.text.matchAll(/https?:\/\/\S+/g)].map((x) => x[0])).toEqual([
      'https://sluis.gemeente.example.nl/',
      'https://sluis.gemeente.example.nl/',
    ]);
    expect(smtpFailureCode({ code: 'ESOCKET' })).toBe('smtp_unavailable');
    expect(smtpFailureCode({ code: 'ETLS' })).toBe('smtp_tls_failed');
    expect(smtpFailureCode({ code: 'EAUTH', responseCode: 535 })).toBe('smtp_auth_failed');
    expect(smtpFailureCode({ code: 'EENVELOPE', responseCode: 550 })).toBe('smtp_rejected');
    expect(smtpFailureCode(new Error('x'))).toBe('smtp_unavailable');
  });
});
