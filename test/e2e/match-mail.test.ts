// End-to-end: the match notice e-mail (docs/operations.md "Match notice e-mail") from a real
// sluis server process to a real SMTP server process (smtp-server, test/support/smtp-child.mjs)
// over loopback, with the login from a 0600 credentials file. Two organisations' professionals
// place signals about one person on their own behalf (the signed on-behalf-of header); only
// the opted-in organisation's professional gets a message. The SMTP server is down at first:
// the notice waits in the persisted outbox, is retried after the backoff (test clock) and
// arrives exactly once. Every raw message is scanned in all its readings (plain, base64,
// quoted-printable, hex) for the BSN, the pseudonym, the citizen's name, the counterpart
// organisation's name and id, the counterpart professional and every match and signal id.

import { randomUUID } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SigningKey, signRequest } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World, eventually } from '../support/e2e-world.js';
import { leakProof } from '../support/leak-proof.js';
import { freshPort } from '../support/ports.js';
import {
  encodedForms,
  readingsOf,
  receivedMail,
  type SmtpProcess,
  startSmtp,
} from '../support/smtp-process.js';

const world = new World();
const SMTP_USER = 'sluis-notices';
const SMTP_PASS = `pw-${randomUUID()}`;
const PORTAL = 'https://portal.sluis.example/';
const inbox = join(world.work, 'smtp-inbox');
let smtp: SmtpProcess | undefined;
let smtpPort: number;
let adminKey: SigningKey;
let A: Org;
let B: Org;
let lastContact: ReturnType<World['contact']>;
const personOf = new Map<string, { id: string; email: string }>();
/** Everything about the citizen and the counterpart that no message may carry. */
const secrets: { label: string; value: string }[] = [];

async function call(
  key: SigningKey,
  method: string,
  path: string,
  body?: unknown,
  onBehalfOf?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const bytes = body === undefined ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(body));
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...signRequest(key, { method, path, query: '' }, bytes, {
      created: Math.floor(world.clock() / 1000),
      ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
    }),
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${world.server.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: bytes }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function professional(org: Org, tag: string): Promise<{ id: string; email: string }> {
  const email = `${tag}.${randomUUID().slice(0, 8)}@zorg.example.nl`;
  const r = await call(adminKey, 'POST', '/v1/admin/people', {
    organisationId: org.id,
    displayName: `Professional ${tag}`,
    email,
    roles: ['professional'],
  });
  expect(r.status).toBe(201);
  const p = { id: (r.json.person as { id: string }).id, email };
  personOf.set(org.id, p);
  return p;
}

async function place(org: Org, bsn: string): Promise<string> {
  const contact = world.contact();
  const r = await call(
    org.signingKey,
    'POST',
    '/v1/signals',
    {
      requestId: randomUUID(),
      subject: [{ epoch: 1, value: world.pseudonym(bsn) }],
      contact,
      informed: { status: 'citizen', date: new Date(world.clock()).toISOString().slice(0, 10) },
    },
    personOf.get(org.id)!.id,
  );
  expect(r.status).toBe(201);
  if (org === B) secrets.push({ label: 'counterpart contact name', value: contact.name });
  if (org === B) secrets.push({ label: 'counterpart contact e-mail', value: contact.email! });
  if (org === B) secrets.push({ label: 'counterpart contact phone', value: contact.phone! });
  lastContact = contact;
  const signal = r.json.signal as { id: string };
  secrets.push({ label: 'a signal id', value: signal.id });
  return signal.id;
}

type Notice = {
  id: string;
  personId: string;
  status: string;
  attempts: number;
  lastErrorCode: string | null;
};
const notices = async (status: string) =>
  (await world.adminJson<{ items: Notice[] }>(['mail-notices', '--status', status])).items;

beforeAll(async () => {
  // Named in the mail configuration now, listened on only once the test brings SMTP up: a port
  // no other process draws meanwhile (test/support/ports.ts).
  smtpPort = await freshPort();
  const credentials = join(world.work, 'smtp-credentials.json');
  writeFileSync(credentials, JSON.stringify({ user: SMTP_USER, pass: SMTP_PASS }), { mode: 0o600 });
  chmodSync(credentials, 0o600);
  const mailConfig = join(world.work, 'mail.json');
  writeFileSync(
    mailConfig,
    JSON.stringify({
      host: '127.0.0.1',
      port: smtpPort,
      tls: 'none',
      credentialsFile: 'smtp-credentials.json',
      from: 'sluis <noreply@gemeente.example.nl>',
      portalUrl: PORTAL,
      intervalSeconds: 0.2,
      timeoutSeconds: 3,
    }),
  );
  await world.start({ testClock: true, args: ['--mail-config', mailConfig] });
  adminKey = await world.adminKey();
  A = await world.organisation('Jeugdzorg Mailtest', 'youth_care');
  B = await world.organisation('Schuldhulp Tegenpartij', 'social_services');
  secrets.push({ label: 'counterpart organisation name', value: B.name });
  secrets.push({ label: 'counterpart organisation id', value: B.id });
  // A opts in by the admin CLI; B does not.
  const on = await world.admin(['update-organisation', '--id', A.id, '--match-email', 'on', '--json']);
  expect(on.code).toBe(0);
  expect(JSON.parse(on.stdout).organisation.matchEmail).toBe(true);
  await professional(A, 'pa');
  await professional(B, 'pb');
});
afterAll(async () => {
  await smtp?.stop();
  await world.close();
});

describe.sequential('match notice e-mail (real sluis server, real SMTP server process)', {
  timeout: 180_000,
}, () => {
  it('refuses a bad --match-email value in the CLI', async () => {
    const r = await world.admin(['update-organisation', '--id', A.id, '--match-email', 'yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--match-email must be on or off/);
  });

  it('SMTP down: the notice waits in the outbox and is retried, then arrives once — for the opted-in organisation only', async () => {
    const bsn = world.bsn();
    secrets.push({ label: 'BSN', value: bsn });
    secrets.push({ label: 'pseudonym', value: world.pseudonym(bsn) });
    secrets.push({
      label: 'pseudonym (hex)',
      value: Buffer.from(world.pseudonym(bsn), 'base64url').toString('hex'),
    });
    secrets.push({
      label: 'pseudonym (base64)',
      value: Buffer.from(world.pseudonym(bsn), 'base64url').toString('base64').replace(/=+$/, ''),
    });
    // The citizen's name never reaches sluis at all; scanned for all the same.
    secrets.push({ label: 'citizen name', value: 'Jantje Voorbeeld' });
    await place(A, bsn);
    await place(B, bsn);
    const matches = await call(A.signingKey, 'GET', '/v1/matches', undefined, personOf.get(A.id)!.id);
    expect(matches.status).toBe(200);
    const events = (matches.json.items ?? []) as { matchId: string }[];
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) secrets.push({ label: 'match id', value: e.matchId });

    // The SMTP server is down: an attempt fails and the notice stays pending.
    const failed = await eventually(
      async () => {
        const p = await notices('pending');
        return p.length === 1 && p[0]!.attempts >= 1 ? p[0] : undefined;
      },
      15_000,
      'a failed attempt',
    );
    expect(failed).toMatchObject({ personId: personOf.get(A.id)!.id, lastErrorCode: 'smtp_unavailable' });
    expect(receivedMail(inbox)).toEqual([]);

    // The SMTP server comes up; the backoff (10 s after one attempt) passes on the server's clock.
    smtp = await startSmtp(smtpPort, SMTP_USER, SMTP_PASS, inbox);
    await world.advanceClock(0, 3600);
    await eventually(async () => (receivedMail(inbox).length > 0 ? true : undefined), 15_000, 'the message');

    // Exactly once, even when later retry times pass.
    await new Promise((r) => setTimeout(r, 800));
    await world.advanceClock(0, 7200);
    await new Promise((r) => setTimeout(r, 800));
    const mail = receivedMail(inbox);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to).toEqual([personOf.get(A.id)!.email]);
    expect(mail[0]!.user).toBe(SMTP_USER);
    expect(mail[0]!.from).toBe('noreply@gemeente.example.nl');
    const text = readingsOf(mail[0]!.raw).join('\n');
    expect(text).toContain('Er is een nieuwe match in sluis');
    expect(text).toContain('There is a new match in sluis. Sign in to see it');
    expect(text).toContain(PORTAL);
    expect(await notices('pending')).toEqual([]);
    const sent = await notices('sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ id: failed.id, status: 'sent' });
    expect(sent[0]!.attempts).toBeGreaterThanOrEqual(2);
    // The counterpart's organisation did not opt in: nothing was queued for its professional.
    expect((await notices('dropped')).length + sent.length).toBe(1);
  });

  it('a later match while SMTP is up arrives too; a removed person and an opted-out organisation get nothing', async () => {
    const bsn = world.bsn(true);
    secrets.push({ label: 'BSN', value: bsn }, { label: 'pseudonym', value: world.pseudonym(bsn) });
    await place(A, bsn);
    await place(B, bsn);
    await eventually(
      async () => (receivedMail(inbox).length === 2 ? true : undefined),
      15_000,
      'the second message',
    );

    // A's professional placed a signal, then was removed: the match that follows is
    // queued for them and dropped at send time (person_removed), never sent.
    const third = world.bsn();
    secrets.push({ label: 'BSN', value: third });
    await place(A, third);
    const removed = await call(adminKey, 'POST', `/v1/admin/people/${personOf.get(A.id)!.id}/remove`, {});
    expect(removed.status).toBe(200);
    await place(B, third);
    const dropped = await eventually(
      async () => {
        const d = await notices('dropped');
        return d.length >= 1 ? d : undefined;
      },
      15_000,
      'the dropped notice',
    );
    expect(dropped.map((d) => d.lastErrorCode)).toEqual(['person_removed']);

    // A colleague places a signal, then A opts out: the next match queues nothing at all.
    await professional(A, 'pa2');
    const fourth = world.bsn();
    secrets.push({ label: 'BSN', value: fourth });
    await place(A, fourth);
    expect((await world.admin(['update-organisation', '--id', A.id, '--match-email', 'off'])).code).toBe(0);
    await place(B, fourth);
    await new Promise((r) => setTimeout(r, 800));
    expect(receivedMail(inbox)).toHaveLength(2);
    const all = (await world.adminJson<{ items: Notice[] }>(['mail-notices'])).items;
    expect(all.map((n) => n.status).sort()).toEqual(['dropped', 'sent', 'sent']);
  });

  it('leak scan: no message carries the BSN, a pseudonym, the citizen, the counterpart or an id', async () => {
    const mail = receivedMail(inbox);
    expect(mail.length).toBe(2);
    expect(secrets.length).toBeGreaterThan(10);
    for (const m of mail) {
      const readings = readingsOf(m.raw);
      for (const s of secrets) {
        for (const form of encodedForms(s.value)) {
          for (const r of readings) expect(r.includes(form), `${s.label} (${form}) in a message`).toBe(false);
        }
      }
      // The only link is the portal's base URL: no other URL, nothing after it.
      const urls = [...readings[0]!.matchAll(/https?:\/\/[^\s"<>]+/g)].map((u) => u[0]);
      expect(new Set(urls)).toEqual(new Set([PORTAL]));
    }
    // The scan can fail: the same needles are found when planted in a message's readings.
    const planted = Buffer.from(
      `Subject: x\r\n\r\n${Buffer.from(B.name).toString('base64')}\r\n=${Buffer.from(B.id).toString('hex')}`,
    );
    const r = readingsOf(planted);
    expect(encodedForms(B.name).some((f) => r.some((x) => x.includes(f)))).toBe(true);
    expect(encodedForms(B.id).some((f) => r.some((x) => x.includes(f)))).toBe(true);
    // No SMTP password and no professional's address in what the server wrote.
    const out = world.serverOutput.join('');
    expect(out).not.toContain(SMTP_PASS);
    for (const p of personOf.values()) expect(out).not.toContain(p.email);
    await leakProof(world, { storedContact: lastContact });
  });
});
