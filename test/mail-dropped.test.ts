// A match notice deleted while it is being sent (docs/operations.md "Logs", `mail_notice_dropped`):
// the SMTP server, a real one (the `smtp-server` package) on loopback, erases the citizen before
// it accepts the message, so the worker finds no notice to record the attempt on. The attempt is
// dropped with one log line, the round does not fail, and the deleted notice is never sent again.
// The real worker and its nodemailer transport.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, expect, it } from 'vitest';
import { loadMailConfig } from '../packages/server/src/mail/mail-config.js';
import { MailWorker } from '../packages/server/src/mail/mail-worker.js';
import { createLogger } from '../packages/server/src/ops/logger.js';
import { BSN_A, type Harness, makeHarness } from '../packages/server/src/testing/harness.js';

let h: Harness | undefined;
let smtp: SMTPServer | undefined;
afterEach(async () => {
  await h?.close();
  await new Promise<void>((r) => (smtp === undefined ? r() : smtp.close(() => r())));
});

it('a notice erased while it is sent is dropped with one log line, and never sent again', async () => {
  let received = 0;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      stream.resume();
      stream.on('end', async () => {
        received++;
        // The match, and its notice, are erased while the message waits for this answer.
        const erased = await h!.call(h!.admin, 'POST', '/v1/admin/gdpr/erase', {
          body: { subject: [h!.pseudonym(BSN_A)] },
        });
        cb(erased.status === 200 ? null : new Error('erase failed'));
      });
    },
  });
  await new Promise<void>((r) => smtp!.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as { port: number }).port;
  const file = join(mkdtempSync(join(tmpdir(), 'sluis-mail-')), 'mail.json');
  writeFileSync(
    file,
    JSON.stringify({
      host: '127.0.0.1',
      port,
      tls: 'none',
      from: 'sluis <noreply@gemeente.example.nl>',
      portalUrl: 'https://portal.sluis.example/',
      timeoutSeconds: 5,
      intervalSeconds: 3600,
    }),
  );

  h = await makeHarness();
  const lines: string[] = [];
  const worker = new MailWorker({
    engine: h.engine,
    config: loadMailConfig(file),
    logger: createLogger({ write: (l: string) => lines.push(l) }, 'debug', h.clock.now),
    metrics: h.metrics,
  });
  try {
    const A = await h.admit('Jeugdzorg met e-mail');
    const B = await h.admit('Basisschool De Regenboog');
    await h.engine.updateOrganisation({ kind: 'system' }, A.id, { matchEmail: true });
    const petra = await h.engine.addPerson(
      { kind: 'system' },
      {
        organisationId: A.id,
        displayName: 'Petra Prof',
        email: 'petra@zorg.example.nl',
        roles: ['professional'],
      },
    );
    const placedA = await h.call(A.key, 'POST', '/v1/signals', {
      body: h.placement(BSN_A, 'P. Prof'),
      onBehalfOf: petra.id,
    });
    expect(placedA.status).toBe(201);
    expect((await h.call(B.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'J. Smit') })).status).toBe(
      201,
    );
    const [notice, ...none] = await h.engine.listMailNotices({});
    expect(none).toEqual([]);
    expect(notice).toMatchObject({ status: 'pending' });

    // The worker as the server runs it: started, it drains what is due at once.
    worker.start();
    const events = async () => {
      for (let i = 0; i < 200; i++) {
        const all = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        if (all.some((e) => e.event === 'mail_notice_dropped')) return all;
        await new Promise((r) => setTimeout(r, 25));
      }
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    const seen = await events();
    expect(received).toBe(1);
    expect(seen.filter((e) => e.event === 'mail_notice_dropped')).toEqual([
      expect.objectContaining({ level: 'info', noticeId: notice!.id, code: 'notice_deleted' }),
    ]);
    expect(seen.filter((e) => e.level === 'error')).toEqual([]);
    expect(await h.engine.listMailNotices({})).toEqual([]);

    // Never again: later rounds, past any backoff, send nothing.
    for (let round = 0; round < 3; round++) {
      h.clock.advance(24 * 3_600_000);
      worker.wake();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(received).toBe(1);
    expect(lines.join('\n')).not.toContain('petra@zorg.example.nl');
  } finally {
    await worker.stop();
  }
});
