// A covenant moves from an HMAC epoch to an OPRF epoch (docs/protocol.md §9, docs/keys.md
// §4.6) on real processes: the match server and the pseudonym service, driven by
// `sluis-server admin`, `sluis-pseudonym-service` and `sluis`. A live covenant with
// matches under HMAC epoch 1 opens OPRF epoch 2; organisations place under both during
// the overlap (one not upgraded, one on both, one on the new epoch only); every signal
// migrates (one organisation with `sluis migrate`, whose evaluations go to the service
// in batches); epoch 1 is retired; not one match is lost or doubled; a GDPR request by
// admin CLI works in OPRF mode; no BSN reaches the service's files or output.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base64url, type Pseudonymiser, type SluisClient } from '@sluis/client-sdk';
import { writeSigningKeyFile } from '@sluis/client-sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World, eventually, inboxOf } from '../support/e2e-world.js';
import { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';
import { caseSigningKey } from '../support/case-keys.js';

const world = new World();
const service = new PseudonymServiceProcess(world.work);
let A: Org;
let B: Org;
let C: Org;
const people = { x: world.bsn(), y: world.bsn(), z: world.bsn(), w: world.bsn(), v: world.bsn() };
const signalsOf = new Map<string, string[]>();

const informed = () => ({
  status: 'citizen' as const,
  date: new Date(world.clock()).toISOString().slice(0, 10),
});

function oprf(org: Org): Pseudonymiser {
  return service.pseudonymiser(world, 2, { signingKey: org.signingKey });
}

function clientWith(org: Org, keys: readonly Pseudonymiser[]): SluisClient {
  return world.client(org.signingKey, { pseudonymKeys: keys, timeoutMs: 20_000 });
}

/** A client of `org` that places under HMAC epoch 1 and OPRF epoch 2 alike. */
const onBothEpochs = (org: Org) => clientWith(org, [world.pseudonymKey, oprf(org)]);

/** Migrates `org`'s first signals, placed about `bsns` in that order, to epoch 2 with the SDK. */
function migrateWithSdk(org: Org, bsns: readonly string[]) {
  const signals = signalsOf
    .get(org.id)!
    .slice(0, bsns.length)
    .map((signalId, i) => ({ signalId, bsn: bsns[i]! }));
  return onBothEpochs(org).migrateSignals(signals, { epochs: [2] });
}

async function place(org: Org, client: SluisClient, bsn: string) {
  const r = await client.placeSignal({ bsn, contact: world.contact(), informed: informed() });
  signalsOf.set(org.id, [...(signalsOf.get(org.id) ?? []), r.signal.id]);
  return r;
}

type Stats = { matches: { active: number } };
const activeMatches = async () => (await world.adminJson<Stats>(['statistics'])).matches.active;
const created = async (org: Org) =>
  (await inboxOf(org.client)).filter((e) => e.type === 'match.created').length;
const ended = async (org: Org) => (await inboxOf(org.client)).filter((e) => e.type === 'match.ended').length;

beforeAll(async () => {
  await world.start();
  A = await world.organisation('Jeugdzorg Oost', 'youth_care');
  B = await world.organisation('Wijkteam Noord', 'social_services');
  C = await world.organisation('Schuldhulp Zuid', 'debt_counselling');
  await service.init(2);
  await service.admitAll(world, [A, B, C]);
  await service.start();
}, 120_000);

afterAll(async () => {
  await service.stop();
  await world.close();
});

// These two tests start several CLI processes each (node start-up dominates): on a loaded
// two-core machine one took over 30 s, the suite's default.
const PROCESSES_MS = 120_000;

describe.sequential('moving a covenant from an HMAC epoch to an OPRF epoch', () => {
  it('a live covenant has matches under HMAC epoch 1', async () => {
    await place(A, A.client, people.x);
    await place(B, B.client, people.x);
    await place(A, A.client, people.y);
    await place(C, C.client, people.y);
    await place(B, B.client, people.z);
    await place(C, C.client, people.z);
    expect(await eventually(async () => ((await activeMatches()) === 3 ? 3 : undefined))).toBe(3);
  });

  it('the municipality registers OPRF epoch 2 with the service’s public key', async () => {
    const r = await world.admin([
      'register-epoch',
      '--epoch',
      '2',
      '--kind',
      'oprf',
      `--public-key=${service.publicKeys.get(2)!}`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const epochs = await world.adminJson<{
      items: { epoch: number; kind: string; publicKey: string | null }[];
    }>(['epochs']);
    expect(epochs.items.map((e) => [e.epoch, e.kind, e.publicKey])).toEqual([
      [1, 'hmac', null],
      [2, 'oprf', service.publicKeys.get(2)!],
    ]);
  });

  it('during the overlap: not upgraded, both epochs, and the new epoch only all match', async () => {
    // B on both epochs and A (not upgraded) about W: they match through epoch 1.
    await place(B, onBothEpochs(B), people.w);
    await place(A, A.client, people.w);
    // C on the OPRF epoch only and B on both about V: they match through epoch 2.
    const onlyNew = await place(C, clientWith(C, [oprf(C)]), people.v);
    expect(onlyNew.signal.epochs).toEqual([2]);
    await place(B, onBothEpochs(B), people.v);
    expect(await eventually(async () => ((await activeMatches()) === 5 ? 5 : undefined))).toBe(5);
  });

  it(
    'every signal migrates: A with `sluis migrate` (batched evaluations), B and C with the SDK',
    async () => {
      const before = await activeMatches();
      const rows = [
        [signalsOf.get(A.id)![0], people.x],
        [signalsOf.get(A.id)![1], people.y],
        [signalsOf.get(A.id)![2], people.w],
      ];
      const csv = join(world.work, 'migrate-a.csv');
      writeFileSync(
        csv,
        `signal_id,bsn,parent1_bsn,parent2_bsn\n${rows.map((r) => `${r[0]},${r[1]},,`).join('\n')}\n`,
        {
          mode: 0o600,
        },
      );
      const r = await world.orgCli(A, ['migrate', csv, '--epoch', '2'], undefined, {
        SLUIS_OPRF_EPOCH: '2',
        SLUIS_OPRF_PUBLIC_KEY: service.publicKeys.get(2)!,
        SLUIS_PSEUDONYM_SERVICE_URL: service.url,
      });
      expect(r.code, r.stderr).toBe(0);
      // One evaluate request for A's three people (the CLI batches): the service's logbook says so.
      const evaluatedForA = service.logbook
        .split('\n')
        .filter((l) => l.includes('"event":"evaluated"') && l.includes(A.name));
      expect(evaluatedForA.map((l) => (JSON.parse(l) as { elements: number }).elements)).toEqual([3]);
      const mb = await migrateWithSdk(B, [people.x, people.z, people.w]);
      const mc = await migrateWithSdk(C, [people.y, people.z]);
      expect([...mb, ...mc].every((x) => x.ok)).toBe(true);
      const p = await world.adminJson<{
        organisations: { stranded: { epoch: number; activeSignals: number }[] }[];
      }>(['epoch-progress']);
      for (const o of p.organisations) expect(o.stranded.find((s) => s.epoch === 1)?.activeSignals).toBe(0);
      // Migration found the same matches again: none doubled.
      expect(await activeMatches()).toBe(before);
    },
    PROCESSES_MS,
  );

  it(
    'epoch 1 is retired: no match lost or doubled, and new OPRF placements find the migrated signals',
    async () => {
      const createdBefore = [await created(A), await created(B), await created(C)];
      const r = await world.adminJson<{ signalsEnded: number }>(['retire-epoch', '--epoch', '1']);
      expect(r.signalsEnded).toBe(0);
      expect(await activeMatches()).toBe(5);
      expect([await ended(A), await ended(B), await ended(C)]).toEqual([0, 0, 0]);
      expect([await created(A), await created(B), await created(C)]).toEqual(createdBefore);
      // A new placement about X under the OPRF epoch only matches A's and B's migrated signals.
      const D = await world.organisation('Politie Eenheid', 'police');
      await service.admitKey(D.name, D.signingKey.publicKey);
      await place(D, clientWith(D, [oprf(D)]), people.x);
      expect(await eventually(async () => ((await activeMatches()) === 7 ? 7 : undefined))).toBe(7);
    },
    PROCESSES_MS,
  );

  it('an admin key the pseudonym service has not admitted: the CLI says the service refused it, and how to admit it', async () => {
    // A second admin key of the match server, never admitted at the pseudonym service.
    const next = caseSigningKey();
    const nextFile = join(world.work, 'admin-not-admitted.pem');
    await writeSigningKeyFile(nextFile, next);
    const add = await world.admin(['add-key', '--admin', `--public-key=${base64url.encode(next.publicKey)}`]);
    expect(add.code, add.stderr).toBe(0);
    // `admin keys` prints the public key the service operator admits (docs/keys.md §4.6 step 4).
    expect((await world.admin(['keys'])).stdout).toContain(base64url.encode(next.publicKey));
    next.destroy();
    const r = await world.adminAs(nextFile, [
      'gdpr',
      'access',
      '--oprf-epoch',
      '2',
      `--oprf-public-key=${service.publicKeys.get(2)!}`,
      '--pseudonym-service-url',
      service.url,
      '--bsn',
      people.x,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sluis-server admin: refused by the pseudonym service: key_unknown');
    expect(r.stderr).toContain('sluis-server admin keys shows it');
    expect(r.stderr).not.toContain(people.x);
  });

  it('a GDPR request by admin CLI in OPRF mode finds the person; no BSN reaches the service', async () => {
    const r = await world.admin(
      [
        'gdpr',
        'access',
        '--oprf-epoch',
        '2',
        `--oprf-public-key=${service.publicKeys.get(2)!}`,
        '--pseudonym-service-url',
        service.url,
        '--json',
      ],
      `${people.x}\n`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { signals: unknown[] }).signals).toHaveLength(3);
    const files = readdirSync(service.dataDir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => readFileSync(join(f.parentPath, f.name)));
    for (const bsn of world.bsns) {
      for (const bytes of files) expect(bytes.includes(Buffer.from(bsn))).toBe(false);
      expect(service.output.join('')).not.toContain(bsn);
    }
  });
});
