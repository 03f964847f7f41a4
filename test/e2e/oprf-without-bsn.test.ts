// People without a BSN (docs/protocol.md §2.2) wherever a BSN can be given, on real
// processes: the match server, the pseudonym service, `sluis` and `sluis-server admin`.
// A parent without a BSN gives a family match across organisations (CLI prompt and SDK); a
// bulk import places such rows under an OPRF epoch and refuses them row by row under an HMAC
// epoch; an OPRF→OPRF rotation migrates them with `sluis migrate` while migration to an HMAC
// epoch is refused; the municipality's GDPR requests find and erase such a person under the
// OPRF epochs only. No surname or birth date reaches a server, a service, a log or an output.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pseudonymiser, SluisClient } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World, eventually, inboxOf } from '../support/e2e-world.js';
import { filesUnder, scan, textNeedle } from '../support/leak-scan.js';
import { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';

const world = new World();
const service = new PseudonymServiceProcess(world.work);
const publicKeys = service.publicKeys;
let A: Org;
let B: Org;
let C: Org;

// A child without a BSN, and a mother without a BSN, each written in two ways.
const CHILD = { surname: 'Vleugelhoven', dateOfBirth: '2013-07-19', gender: 'M' } as const;
const CHILD_OTHERWISE = { surname: 'VLEUGELHOVEN', dateOfBirth: '2013-07-19', gender: 'M' } as const;
const MOTHER = { surname: 'van der Kroonenbergh', dateOfBirth: '1979-02-11', gender: 'V' } as const;
const MOTHER_OTHERWISE = { surname: 'Kroonenbergh, v.d.', dateOfBirth: '1979-02-11', gender: 'V' } as const;
const SECRETS = [
  'Vleugelhoven',
  'vleugelhoven',
  'VLEUGELHOVEN',
  'Kroonenbergh',
  'kroonenbergh',
  '2013-07-19',
  '1979-02-11',
];
const childBsn = { x: world.bsn(), y: world.bsn(), z: world.bsn(), w: world.bsn() };
const signalIds = { x: '', childOfA: '' };

const informed = () => ({
  status: 'citizen' as const,
  date: new Date(world.clock()).toISOString().slice(0, 10),
});

function oprf(org: Org, epoch: number): Pseudonymiser {
  return service.pseudonymiser(world, epoch, { signingKey: org.signingKey });
}

function clientWith(org: Org, keys: readonly Pseudonymiser[]): SluisClient {
  return world.client(org.signingKey, { pseudonymKeys: keys, timeoutMs: 20_000 });
}

/** `sluis` configured with OPRF epochs only (no covenant key file). */
const oprfEnv = (...epochs: number[]) => ({
  SLUIS_PSEUDONYM_KEY_FILE: '',
  SLUIS_PSEUDONYM_KEY_EPOCH: '',
  ...Object.fromEntries(
    epochs.flatMap((e, i) => [
      [`SLUIS_OPRF_EPOCH${i === 0 ? '' : '_2'}`, String(e)],
      [`SLUIS_OPRF_PUBLIC_KEY${i === 0 ? '' : '_2'}`, publicKeys.get(e)!],
    ]),
  ),
  SLUIS_PSEUDONYM_SERVICE_URL: service.url,
});
const gdprOprfFlags = (...epochs: number[]) => [
  ...epochs.flatMap((e) => ['--oprf-epoch', String(e), `--oprf-public-key=${publicKeys.get(e)!}`]),
  '--pseudonym-service-url',
  service.url,
];
const substituteLines = (p: { surname: string; dateOfBirth: string; gender: string }) =>
  `${p.surname}\n${p.dateOfBirth}\n${p.gender}\n`;

type Stats = { matches: { active: number; family: number } };
const stats = async () => (await world.adminJson<Stats>(['statistics'])).matches;
const created = async (org: Org) =>
  (await inboxOf(org.client)).filter((e) => e.type === 'match.created').length;
const csvLine = (cells: readonly string[]) => `${cells.join(',')}\n`;

beforeAll(async () => {
  await world.start();
  A = await world.organisation('Jeugdzorg Oost', 'youth_care');
  B = await world.organisation('Wijkteam Noord', 'social_services');
  C = await world.organisation('Schuldhulp Zuid', 'debt_counselling');
  await service.init(2, 3);
  await service.admitAll(world, [A, B, C]);
  await service.start();
  // HMAC epoch 1 stays active beside OPRF epoch 2: the overlap of a covenant moving to OPRF.
  await service.registerEpoch(world, 2);
}, 180_000);

afterAll(async () => {
  await service.stop();
  await world.close();
});

// Each step runs several CLI processes (a few seconds each on a loaded machine).
describe.sequential('people without a BSN, end to end', { timeout: 180_000 }, () => {
  it('a parent without a BSN: `sluis signal --parent-without-bsn -` and the SDK give a family match', async () => {
    const r = await world.orgCli(
      A,
      [
        'signal',
        '--name',
        world.contact().name,
        '--role',
        'jeugdconsulent',
        '--email',
        'a@jeugdzorg.example.nl',
        '--informed',
        'not_yet',
        '--parent-without-bsn',
        '-',
        '--json',
      ],
      `${childBsn.x}\n${substituteLines(MOTHER)}`,
      oprfEnv(2),
    );
    expect(r.code, r.stderr).toBe(0);
    signalIds.x = (JSON.parse(r.stdout) as { signal: { id: string } }).signal.id;
    // B knows the mother's name written otherwise; canonicalisation (§2.2) makes her one person.
    await clientWith(B, [oprf(B, 2)]).placeSignal({
      bsn: childBsn.y,
      contact: world.contact(),
      informed: informed(),
      parents: [{ substitute: MOTHER_OTHERWISE }],
    });
    expect(await eventually(async () => ((await stats()).family === 1 ? 1 : undefined))).toBe(1);
    // Under the HMAC epoch the same placement is refused before anything is sent.
    const hmac = await world.orgCli(
      B,
      [
        'signal',
        '--name',
        'X',
        '--role',
        'r',
        '--email',
        'x@y.nl',
        '--informed',
        'not_yet',
        '--parent-without-bsn',
        '-',
      ],
      `${childBsn.z}\n${substituteLines(MOTHER)}`,
    );
    expect(hmac.code).toBe(2);
    expect(hmac.stderr).toContain('scheme_requires_oprf');
  });

  it('`sluis import`: rows without a BSN go in under OPRF, are refused row by row under HMAC, never echoed', async () => {
    await clientWith(A, [oprf(A, 2)]).placeSignal({
      substitute: CHILD,
      contact: world.contact(),
      informed: informed(),
    });
    const header = 'bsn,surname,date_of_birth,gender,name,role,email,informed_status';
    const row = (bsn: string, p?: { surname: string; dateOfBirth: string; gender: string }) => {
      const c = world.contact();
      return csvLine([
        bsn,
        p?.surname ?? '',
        p?.dateOfBirth ?? '',
        p?.gender ?? '',
        c.name,
        c.role,
        c.email!,
        'not_yet',
      ]);
    };
    const csv = join(world.work, 'import-c.csv');
    writeFileSync(
      csv,
      `${header}\n${row('', CHILD_OTHERWISE)}${row(childBsn.z)}${row('', { ...CHILD, surname: 'Vleugel2hoven' })}`,
      { mode: 0o600 },
    );
    const before = await stats();
    const r = await world.orgCli(C, ['import', csv], undefined, oprfEnv(2));
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toContain('3 rows: 2 created');
    expect(r.stdout).toContain('line 4: substitute_surname_invalid (surname:');
    // C's row about the child matches A's signal placed without a BSN.
    expect(await eventually(async () => ((await stats()).active > before.active ? true : undefined))).toBe(
      true,
    );
    expect(await created(C)).toBe(1);

    const hmacCsv = join(world.work, 'import-c-hmac.csv');
    writeFileSync(hmacCsv, `${header}\n${row('', CHILD)}${row(childBsn.w)}`, { mode: 0o600 });
    const h = await world.orgCli(C, ['import', hmacCsv]);
    expect(h.code, h.stderr).toBe(4);
    expect(h.stdout).toContain('2 rows: 1 created');
    expect(h.stdout).toContain('line 2: scheme_requires_oprf (surname:');
    for (const out of [
      r.stdout + r.stderr,
      h.stdout + h.stderr,
      ...[csv, hmacCsv]
        .flatMap((f) => [`${f}.results.csv`, `${f}.import-state`])
        .map((f) => readFileSync(f, 'utf8')),
    ])
      for (const s of SECRETS) expect(out.includes(s), `"${s}" in the import's output`).toBe(false);
  });

  it('an OPRF→OPRF rotation: `sluis migrate` moves them to epoch 3; migration to the HMAC epoch is refused', async () => {
    const r3 = await world.admin([
      'register-epoch',
      '--epoch',
      '3',
      '--kind',
      'oprf',
      `--public-key=${publicKeys.get(3)!}`,
    ]);
    expect(r3.code, r3.stderr).toBe(0);
    const mine = [];
    for await (const s of A.client.iterateSignals({ status: 'active' })) mine.push(s.id);
    signalIds.childOfA = mine.find((id) => id !== signalIds.x)!;
    const csv = join(world.work, 'migrate-a.csv');
    writeFileSync(
      csv,
      'signal_id,bsn,surname,date_of_birth,gender,parent1_surname,parent1_date_of_birth,parent1_gender\n' +
        csvLine([signalIds.x, childBsn.x, '', '', '', MOTHER.surname, MOTHER.dateOfBirth, MOTHER.gender]) +
        csvLine([signalIds.childOfA, '', CHILD.surname, CHILD.dateOfBirth, CHILD.gender, '', '', '']),
      { mode: 0o600 },
    );
    const toHmac = await world.orgCli(
      A,
      ['migrate', csv, '--epoch', '1', '--results', `${csv}.hmac.csv`],
      undefined,
      {
        SLUIS_OPRF_EPOCH: '2',
        SLUIS_OPRF_PUBLIC_KEY: publicKeys.get(2)!,
        SLUIS_PSEUDONYM_SERVICE_URL: service.url,
      },
    );
    expect(toHmac.code, toHmac.stderr).toBe(4);
    expect(toHmac.stdout).toContain('0 migrated, 2 invalid');
    expect(toHmac.stdout).toContain('line 2: scheme_requires_oprf (parent1_surname:');
    expect(toHmac.stdout).toContain('line 3: scheme_requires_oprf (surname:');
    const r = await world.orgCli(A, ['migrate', csv, '--epoch', '3', '--restart'], undefined, oprfEnv(2, 3));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 migrated');
    // A newcomer on epoch 3 only finds A's migrated signals: the child, and the family by the mother.
    const D = await world.organisation('Politie Eenheid', 'police');
    await service.admitKey(D.name, D.signingKey.publicKey);
    const onlyNew = clientWith(D, [oprf(D, 3)]);
    const p = await onlyNew.placeSignal({
      substitute: CHILD_OTHERWISE,
      contact: world.contact(),
      informed: informed(),
    });
    expect(p.signal.epochs).toEqual([3]);
    await onlyNew.placeSignal({
      bsn: world.bsn(),
      contact: world.contact(),
      informed: informed(),
      parents: [{ substitute: MOTHER_OTHERWISE }],
    });
    const dClient = world.client(D.signingKey);
    expect(
      await eventually(async () => ((await created({ ...D, client: dClient })) === 2 ? 2 : undefined)),
    ).toBe(2);
    for (const out of [
      toHmac.stdout + toHmac.stderr,
      r.stdout + r.stderr,
      readFileSync(`${csv}.hmac.csv`, 'utf8'),
    ])
      for (const s of SECRETS) expect(out.includes(s)).toBe(false);
  });

  it('`sluis-server admin gdpr --without-bsn`: every active OPRF epoch, no covenant key; access and erasure', async () => {
    const input = substituteLines(CHILD_OTHERWISE);
    const partial = await world.admin(
      ['gdpr', 'access', '--without-bsn', ...gdprOprfFlags(2), '--json'],
      input,
    );
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('active OPRF epoch 3');
    const withKey = await world.admin(
      [
        'gdpr',
        'access',
        '--without-bsn',
        '--pseudonym-key-file',
        world.pseudonymKeyFile,
        '--epoch',
        '1',
        ...gdprOprfFlags(2, 3),
      ],
      input,
    );
    expect(withKey.code).toBe(2);
    expect(withKey.stderr).toContain('scheme_requires_oprf');
    const access = await world.admin(
      ['gdpr', 'access', '--without-bsn', ...gdprOprfFlags(2, 3), '--json'],
      input,
    );
    expect(access.code, access.stderr).toBe(0);
    const report = JSON.parse(access.stdout) as { signals: { organisationName: string }[] };
    expect(report.signals.map((s) => s.organisationName).sort()).toEqual(
      [A.name, 'Politie Eenheid', C.name].sort(),
    );
    const erase = await world.admin(
      ['gdpr', 'erase', '--without-bsn', ...gdprOprfFlags(2, 3), '--json'],
      input,
    );
    expect(erase.code, erase.stderr).toBe(0);
    expect((JSON.parse(erase.stdout) as { signals: number }).signals).toBe(3);
    const again = await world.admin(
      ['gdpr', 'access', '--without-bsn', ...gdprOprfFlags(2, 3), '--json'],
      input,
    );
    expect((JSON.parse(again.stdout) as { signals: unknown[] }).signals).toHaveLength(0);
  });

  it('no surname or birth date in any server or service file, log or CLI output', () => {
    const needles = SECRETS.map((s) => textNeedle(s, s));
    const haystacks = [
      ...[...world.dataDirs].flatMap((d) => filesUnder(d, ['keys'])),
      ...filesUnder(service.dataDir),
      { label: 'server output', bytes: Buffer.from(world.serverOutput.join('')) },
      { label: 'service output', bytes: Buffer.from(service.output.join('')) },
      { label: 'admin output', bytes: Buffer.from(world.adminOutput.join('')) },
      { label: 'sluis output', bytes: Buffer.from(world.orgCliOutput.join('')) },
    ];
    expect(haystacks.length).toBeGreaterThan(6);
    expect(scan(haystacks, needles)).toEqual([]);
  });
});
