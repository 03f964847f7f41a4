// The leak proof run at the end of every end-to-end suite (docs/leakage.md §3.7): scans every byte the
// server wrote — database, -wal, -shm/journal (while running and after the stop), backups,
// the server's stdout/stderr across restarts, the CLIs' output, webhook bodies and headers —
// for every BSN, client pseudonym and key of the world, and asserts zero hits. Contact
// details may appear only in the database and in matched parties' match responses (the
// `sluis` CLI's output), never in logs, admin output or webhooks. Positive controls prove
// the scan would see a leak. The data directory's keys/ is excluded: it holds keys by design.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type Contact,
  PseudonymKey,
  base64url,
  bytesToHex,
  canonicaliseIdentifier,
  oprfInput,
} from '@sluis/client-sdk';
import { expect } from 'vitest';
import type { World } from './e2e-world.js';
import {
  type Haystack,
  type Needle,
  bsnNeedles,
  bytesNeedles,
  filesUnder,
  pseudonymNeedles,
  scan,
  textNeedle,
} from './leak-scan.js';

function dataFiles(world: World, phase: string): Haystack[] {
  const out: Haystack[] = [];
  let i = 0;
  for (const dir of world.dataDirs) {
    i++;
    // keys/ holds the server secret, webhook and admin keys by design: excluded.
    for (const f of filesUnder(dir, ['keys']))
      out.push({ label: `server ${i} ${phase}: ${f.label}`, bytes: f.bytes });
  }
  for (const f of world.extraFiles) out.push({ label: `backup ${f}`, bytes: readFileSync(f) });
  return out;
}

const joined = (label: string, parts: readonly string[]): Haystack => ({
  label,
  bytes: Buffer.from(parts.join('\n'), 'utf8'),
  text: true,
});

function webhookHaystacks(world: World): Haystack[] {
  return world.webhooks.map((w, i) => ({
    label: `webhook ${i + 1}`,
    bytes: Buffer.concat([Buffer.from(JSON.stringify(w.headers)), Buffer.from(w.body)]),
    text: true,
  }));
}

export interface LeakProofOptions {
  readonly storedContact: Contact;
  /** Further covenant keys (e.g. a new epoch): every BSN's pseudonym under each is a needle too. */
  readonly pseudonymKeys?: readonly { readonly label: string; readonly key: PseudonymKey }[];
  /** Further secrets (a key file that a rotation deleted, an admin key kept outside the data dir). */
  readonly secrets?: readonly { readonly label: string; readonly bytes: Uint8Array }[];
}

export async function leakProof(world: World, options: LeakProofOptions): Promise<void> {
  expect(
    world.bsns.some((b) => b.startsWith('0')),
    'a BSN with a leading zero is used',
  ).toBe(true);

  // Secrets.
  const needles: Needle[] = [];
  world.bsns.forEach((b, i) => {
    needles.push(...bsnNeedles(b, `BSN #${i + 1}`));
    needles.push(...pseudonymNeedles(world.pseudonym(b), `pseudonym of BSN #${i + 1}`));
  });
  for (const { label, key } of options.pseudonymKeys ?? []) {
    world.bsns.forEach((b, i) => {
      const p = key.pseudonymise(canonicaliseIdentifier('bsn', b)).value;
      needles.push(...pseudonymNeedles(p, `${label} pseudonym of BSN #${i + 1}`));
    });
  }
  for (const s of options.secrets ?? []) needles.push(...bytesNeedles(s.bytes, s.label));
  needles.push(...bytesNeedles(world.pseudonymKeyBytes, 'covenant pseudonym key'));
  world.signingKeys.forEach((k, i) => {
    needles.push(...bytesNeedles(k.exportSeed(), `organisation signing seed #${i + 1}`));
  });
  for (const k of await world.serverKeys()) needles.push(...bytesNeedles(k.bytes, k.label));

  // Everything the server wrote, live and after a clean stop.
  const live = dataFiles(world, 'live');
  for (const s of world.servers)
    if (s.process.exitCode === null && s.process.signalCode === null) await s.stop();
  const stopped = dataFiles(world, 'stopped');
  const outputs = [
    joined('server stdout/stderr', world.serverOutput),
    joined('sluis-server admin output', world.adminOutput),
    joined('sluis output', world.orgCliOutput),
  ];
  const hooks = webhookHaystacks(world);
  const all = [...live, ...stopped, ...outputs, ...hooks];

  // Sanity: the haystacks hold what we think they hold.
  const sqlite = live.filter((h) => /sluis\.db(-wal|-shm|-journal)?$/.test(h.label));
  expect(sqlite.some((h) => h.label.endsWith('sluis.db'))).toBe(true);
  expect(sqlite.some((h) => h.label.endsWith('sluis.db-wal'))).toBe(true);
  expect(sqlite.reduce((n, h) => n + h.bytes.length, 0)).toBeGreaterThan(8192);
  expect(world.serverOutput.join('')).toMatch(/"event":"request"/);
  // Per BSN: its text, three base64 forms, five of its pseudonym (and more with a leading zero).
  expect(needles.length).toBeGreaterThanOrEqual(world.bsns.length * 9 + 5);

  // The proof: zero hits.
  expect(scan(all, needles)).toEqual([]);

  // Contact details: only in the database and in matched parties' match responses.
  const contactNeedles = world.contacts.flatMap((c, i) => [
    textNeedle(`contact #${i + 1} name`, c.name),
    ...(c.phone === undefined ? [] : [textNeedle(`contact #${i + 1} phone`, c.phone)]),
    ...(c.email === undefined ? [] : [textNeedle(`contact #${i + 1} email`, c.email)]),
  ]);
  expect(scan([outputs[0]!, outputs[1]!, ...hooks], contactNeedles)).toEqual([]);

  // Positive controls: the same scan finds a stored contact in the database bytes, and
  // finds secrets planted in every encoding among random bytes.
  const stored = textNeedle('stored contact', options.storedContact.name);
  expect(scan([...live, ...stopped], [stored]).length).toBeGreaterThan(0);
  const leadingZero = world.bsns.find((b) => b.startsWith('0'))!;
  const extraKey = options.pseudonymKeys?.[0];
  const extraSecret = options.secrets?.[0];
  const extraPlants = [
    ...(extraKey === undefined
      ? []
      : [base64url.decode(extraKey.key.pseudonymise(canonicaliseIdentifier('bsn', world.bsns[0]!)).value)!]),
    ...(extraSecret === undefined ? [] : [new TextEncoder().encode(bytesToHex(extraSecret.bytes))]),
  ];
  const planted: Haystack = {
    label: 'planted',
    bytes: Buffer.concat([
      randomBytes(512),
      Buffer.from(leadingZero.slice(1)),
      randomBytes(64),
      Buffer.from(world.pseudonym(world.bsns[0]!), 'base64url'),
      randomBytes(64),
      Buffer.from(Buffer.from(world.pseudonymKeyBytes).toString('base64url')),
      randomBytes(64),
      ...extraPlants.flatMap((p) => [Buffer.from(p), randomBytes(64)]),
    ]),
  };
  // A BSN written into a log line is found in either form, each line on its own: as a value, in
  // a URL path, percent-encoded (`%22`, `%2F`), beside other letters (leak-scan.ts); the same
  // digits inside a trace id, a hash or a UUID v4 are not.
  const eightDigits = leadingZero.slice(1);
  const eightLabel = `BSN #${world.bsns.indexOf(leadingZero) + 1} (8-digit form)`;
  const bsn1 = world.bsns[0]!;
  const plantedLines: [line: string, label: string][] = [
    [`{"event":"request","path":"/v1/signals/${bsn1}"}`, 'BSN #1 (text)'],
    [`{"event":"request","url":"/v1/x?q=%22${bsn1}%22"}`, 'BSN #1 (text)'],
    [`{"event":"request","url":"/v1/x/%2F${bsn1}"}`, 'BSN #1 (text)'],
    [`{"event":"x","detail":"id=abc${bsn1}"}`, 'BSN #1 (text)'],
    [`{"event":"x","value":${eightDigits}}`, eightLabel],
    // In base64 and base64url (leak-scan.ts bsnBase64Needles), at each offset mod 3: the digits
    // as text, the SDK's HMAC message and OPRF input (the digits 31 and 32 bytes in), and the
    // 8-digit form after 0, 1 and 2 random bytes.
    [
      `{"event":"x","blob":"${Buffer.from(bsn1).toString('base64')}"}`,
      'BSN #1 (9-digit form, base64 at offset 0 mod 3)',
    ],
    [
      `{"event":"x","blob":"${Buffer.from(PseudonymKey.message(1, canonicaliseIdentifier('bsn', bsn1))).toString('base64')}"}`,
      'BSN #1 (9-digit form, base64 at offset 1 mod 3)',
    ],
    [
      `/v1/x?input=${base64url.encode(oprfInput(1, canonicaliseIdentifier('bsn', bsn1)))}`,
      'BSN #1 (9-digit form, base64 at offset 2 mod 3)',
    ],
    ...[0, 1, 2].map((offset): [string, string] => [
      `{"event":"x","blob":"${base64url.encode(Buffer.concat([randomBytes(offset), Buffer.from(eightDigits), randomBytes(4)]))}"}`,
      `BSN #${world.bsns.indexOf(leadingZero) + 1} (8-digit form, base64 at offset ${offset} mod 3)`,
    ]),
  ];
  for (const [line, label] of plantedLines) {
    const hits = scan([{ label: 'planted log line', text: true, bytes: Buffer.from(line) }], needles);
    expect(hits.map((h) => h.needle)).toContain(label);
  }
  const lookalikes: Haystack = {
    label: 'planted lookalikes',
    text: true,
    bytes: Buffer.from(
      `{"traceId":"0af76519${bsn1}16cd43dd8448eb21","hash":"e3b0c442${eightDigits}98fc1c149afbf4c8996fb924","requestId":"${eightDigits}-8f3a-4c2b-9d1e-a0b1c2d3e4f5"}\n`,
    ),
  };
  expect(scan([lookalikes], needles)).toEqual([]);
  const found = scan([...all, planted], needles)
    .filter((h) => h.haystack === 'planted')
    .map((h) => h.needle);
  expect(found).toEqual(
    expect.arrayContaining([
      `BSN #${world.bsns.indexOf(leadingZero) + 1} (8-digit form)`,
      'pseudonym of BSN #1 (raw bytes)',
      'covenant pseudonym key (base64url)',
      ...(extraKey === undefined ? [] : [`${extraKey.label} pseudonym of BSN #1 (raw bytes)`]),
      ...(extraSecret === undefined ? [] : [`${extraSecret.label} (hex)`]),
    ]),
  );
}
