// The match notice e-mail's TLS modes (docs/operations.md "Match notice e-mail") against a real
// SMTP server (the `smtp-server` package) with a certificate signed by a test CA
// (packages/server/src/mail/testdata: a CA and a localhost/127.0.0.1 certificate, valid for
// a century, for tests only). The server's own transport and configuration loader are used as
// they are: `implicit` speaks TLS from the first byte, `starttls` upgrades and refuses a server
// that does not offer it, a certificate the configured CA did not sign is refused, and each
// refusal is the coarse code the outbox records (smtp_tls_failed), with nothing received.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMailConfig } from '../packages/server/src/mail/mail-config.js';
import { smtpFailureCode, smtpTransport } from '../packages/server/src/mail/mail-worker.js';

const TESTDATA = join(import.meta.dirname, '../packages/server/src/mail/testdata');
const key = readFileSync(join(TESTDATA, 'smtp.key'));
const cert = readFileSync(join(TESTDATA, 'smtp.pem'));
const dir = mkdtempSync(join(tmpdir(), 'sluis-mail-tls-'));
const servers: SMTPServer[] = [];

type Received = { secure: boolean; to: string[] };

/** A real SMTP server on a free loopback port; what it received, and whether over TLS. */
async function smtp(options: SMTPServerOptions): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    key,
    cert,
    authOptional: true,
    logger: false,
    ...options,
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        received.push({ secure: session.secure, to: session.envelope.rcptTo.map((r) => r.address) });
        cb();
      });
    },
  });
  // A client that gives up on the handshake (the refusals below) is an error of the server.
  server.on('error', () => undefined);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  return { port, received };
}

/** A mail config file as an operator writes it, loaded by the server's own loader. */
function config(port: number, tls: 'implicit' | 'starttls', withCa: boolean) {
  const file = join(dir, `mail-${port}-${tls}-${withCa}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      host: '127.0.0.1',
      port,
      tls,
      ...(withCa ? { caFile: join(TESTDATA, 'ca.pem') } : {}),
      from: 'sluis <noreply@gemeente.example.nl>',
      portalUrl: 'https://portal.sluis.example/',
      timeoutSeconds: 5,
    }),
  );
  return loadMailConfig(file);
}

const message = { from: 'noreply@gemeente.example.nl', to: 'a@zorg.example.nl', subject: 's', text: 't' };

async function send(c: ReturnType<typeof config>): Promise<string> {
  const t = smtpTransport(c);
  try {
    await t.sendMail(message);
    return 'sent';
  } catch (e) {
    return smtpFailureCode(e);
  } finally {
    t.close();
  }
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(() => r(undefined)))));
});

describe('match notice e-mail over TLS', () => {
  it('implicit: TLS from the first byte, the certificate verified against the configured CA', async () => {
    const s = await smtp({ secure: true });
    expect(await send(config(s.port, 'implicit', true))).toBe('sent');
    expect(s.received).toEqual([{ secure: true, to: ['a@zorg.example.nl'] }]);
  });

  it('starttls: the plain connection is upgraded before anything is sent', async () => {
    const s = await smtp({ secure: false });
    expect(await send(config(s.port, 'starttls', true))).toBe('sent');
    expect(s.received).toEqual([{ secure: true, to: ['a@zorg.example.nl'] }]);
  });

  it('starttls: a server that does not offer STARTTLS is refused, nothing is sent in the clear', async () => {
    const s = await smtp({ secure: false, disabledCommands: ['STARTTLS'] });
    expect(await send(config(s.port, 'starttls', true))).toBe('smtp_tls_failed');
    expect(s.received).toEqual([]);
  });

  it('a certificate that no trusted CA signed is refused (implicit and starttls)', async () => {
    const implicit = await smtp({ secure: true });
    expect(await send(config(implicit.port, 'implicit', false))).toBe('smtp_tls_failed');
    const upgraded = await smtp({ secure: false });
    expect(await send(config(upgraded.port, 'starttls', false))).toBe('smtp_tls_failed');
    expect([...implicit.received, ...upgraded.received]).toEqual([]);
  });

  it('a caFile that is missing or not PEM stops the start, naming both files and the problem, never the content', () => {
    const base = {
      host: '127.0.0.1',
      port: 25,
      tls: 'implicit',
      from: 'a@b.nl',
      portalUrl: 'https://p.example/',
    };
    const missing = join(dir, 'missing-ca.json');
    writeFileSync(missing, JSON.stringify({ ...base, caFile: 'nowhere.pem' }));
    expect(() => loadMailConfig(missing)).toThrow(
      expect.objectContaining({
        code: 'mail_config_invalid',
        message: `invalid mail configuration ${missing}: caFile ${join(dir, 'nowhere.pem')} cannot be read: give a readable PEM file of the CA certificate(s) that signed the SMTP server's certificate`,
      }),
    );
    writeFileSync(join(dir, 'not-pem.txt'), 'secret-looking text');
    const notPem = join(dir, 'not-pem.json');
    writeFileSync(notPem, JSON.stringify({ ...base, caFile: 'not-pem.txt' }));
    const err = (() => {
      try {
        loadMailConfig(notPem);
      } catch (e) {
        return e as Error & { code: string; details?: unknown };
      }
      return undefined;
    })();
    expect(err?.code).toBe('mail_config_invalid');
    expect(err?.message).toBe(
      `invalid mail configuration ${notPem}: caFile ${join(dir, 'not-pem.txt')} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA certificate(s) that signed the SMTP server's certificate`,
    );
    expect(JSON.stringify({ m: err?.message, d: err?.details })).not.toContain('secret-looking');
  });
});
