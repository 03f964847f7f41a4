// Store conformance, sign-in (store/contract/sign-in.ts, docs/protocol.md §10): enrolment
// codes (one per person, replaced by a new one, consumed once), devices (joined person id,
// transports, counter compare-and-set, removal taking its sessions along), challenges
// (taken once, expired ones never handed out), sessions (joined person id, idle expiry
// moved but never past the absolute one, ended per session, per device and by expiry) and
// a removed person's sign-in rows, all deleted at once.
// The single-use steps run concurrently: exactly one caller wins each.

import assert from 'node:assert/strict';
import { isEngineError } from '../../errors.js';
import type { NewDevice, StoreWriter } from '../store.js';
import { type ConformanceContext, org, uuid } from './fixtures.js';

async function personOf(tx: StoreWriter, n: number, organisationRid: number | null): Promise<number> {
  return tx.insertPerson({
    id: uuid(7000 + n),
    organisationRid,
    displayName: `Person ${n}`,
    email: null,
    roles: ['professional'],
    status: 'active',
    createdAt: 1,
    removedAt: null,
  });
}

const device = (n: number, personRid: number, over: Partial<NewDevice> = {}): NewDevice => ({
  id: uuid(8000 + n),
  personRid,
  credentialId: `cred-${n}`,
  publicKey: new Uint8Array([n, 1, 2, 3]),
  counter: 5,
  name: `Device ${n}`,
  transports: ['internal', 'hybrid'],
  createdAt: 10 + n,
  lastUsedAt: null,
  ...over,
});

const key = (n: number) => new Uint8Array(32).fill(n);

export function signInCases({ test, withStore }: ConformanceContext): void {
  test(
    'enrolment codes: one per person, replaced by a new one, consumed exactly once under concurrency',
    withStore(async (s) => {
      const p = await s.write(async (tx) => personOf(tx, 1, await org(tx, 1)));
      const hash = new Uint8Array(32).fill(9);
      await s.write((tx) =>
        tx.setEnrolmentCode({
          personRid: p,
          selector: 'AAAAAAAA',
          verifierHash: hash,
          createdAt: 1,
          expiresAt: 100,
        }),
      );
      assert.deepEqual(await s.read((tx) => tx.getEnrolmentCode('AAAAAAAA')), {
        personRid: p,
        personId: uuid(7001),
        selector: 'AAAAAAAA',
        verifierHash: hash,
        createdAt: 1,
        expiresAt: 100,
      });
      await s.write((tx) =>
        tx.setEnrolmentCode({
          personRid: p,
          selector: 'BBBBBBBB',
          verifierHash: hash,
          createdAt: 2,
          expiresAt: 200,
        }),
      );
      assert.equal(await s.read((tx) => tx.getEnrolmentCode('AAAAAAAA')), undefined);
      assert.equal(await s.write((tx) => tx.deleteEnrolmentCode(p, 'AAAAAAAA')), false);
      const wins = await Promise.all(
        [1, 2, 3, 4].map(() => s.write((tx) => tx.deleteEnrolmentCode(p, 'BBBBBBBB'))),
      );
      assert.deepEqual(wins.filter(Boolean).length, 1);
      assert.equal(await s.read((tx) => tx.getEnrolmentCode('BBBBBBBB')), undefined);
    }),
  );

  test(
    'devices: round-trip with the person id, per-person order, a duplicate credential is a conflict, the counter moves once',
    withStore(async (s) => {
      const { p, q } = await s.write(async (tx) => {
        const o = await org(tx, 1);
        return { p: await personOf(tx, 1, o), q: await personOf(tx, 2, null) };
      });
      const rid = await s.write((tx) => tx.insertDevice(device(1, p)));
      await s.write((tx) => tx.insertDevice(device(2, q, { transports: [] })));
      await s.write((tx) => tx.insertDevice(device(3, p)));
      const d1 = await s.read((tx) => tx.getDevice(uuid(8001)));
      assert.deepEqual(d1, { ...device(1, p), rid, personId: uuid(7001) });
      assert.deepEqual(await s.read((tx) => tx.getDeviceByCredential('cred-1')), d1);
      assert.deepEqual((await s.read((tx) => tx.getDevice(uuid(8002))))?.transports, []);
      assert.deepEqual(
        (await s.read((tx) => tx.listDevices(p))).map((d) => d.id),
        [uuid(8001), uuid(8003)],
      );
      await assert.rejects(
        s.write((tx) => tx.insertDevice(device(4, p, { credentialId: 'cred-1' }))),
        (e: unknown) => isEngineError(e, 'conflict'),
      );
      const moved = await Promise.all(
        [6, 6, 6].map((c) => s.write((tx) => tx.advanceDeviceCounter(rid, 5, c, 99))),
      );
      assert.equal(moved.filter(Boolean).length, 1);
      const after = await s.read((tx) => tx.getDevice(uuid(8001)));
      assert.equal(after?.counter, 6);
      assert.equal(after?.lastUsedAt, 99);
      assert.equal(await s.write((tx) => tx.deleteDevice(999_999)), false);
    }),
  );

  test(
    'challenges are taken once; an expired one is never handed out',
    withStore(async (s) => {
      await s.write(async (tx) => {
        await tx.insertChallenge({
          id: 'c1',
          purpose: 'sign_in',
          challenge: 'x1',
          personRid: null,
          sessionKey: key(1),
          expiresAt: 100,
        });
        await tx.insertChallenge({
          id: 'c2',
          purpose: 'enrol',
          challenge: 'x2',
          personRid: null,
          sessionKey: null,
          expiresAt: 50,
        });
        await tx.insertChallenge({
          id: 'c3',
          purpose: 'add_device',
          challenge: 'x3',
          personRid: null,
          sessionKey: null,
          expiresAt: 300,
        });
      });
      const taken = await Promise.all([1, 2, 3].map(() => s.write((tx) => tx.takeChallenge('c1', 60))));
      const got = taken.filter((t) => t !== undefined);
      assert.equal(got.length, 1);
      assert.deepEqual(got[0], {
        id: 'c1',
        purpose: 'sign_in',
        challenge: 'x1',
        personRid: null,
        sessionKey: key(1),
        expiresAt: 100,
      });
      assert.equal(await s.write((tx) => tx.takeChallenge('c2', 60)), undefined);
      assert.equal(
        await s.write((tx) => tx.takeChallenge('c2', 10)),
        undefined,
        'an expired take deleted it',
      );
      await s.write(async (tx) => {
        await tx.insertChallenge({
          id: 'c4',
          purpose: 'enrol',
          challenge: 'x4',
          personRid: null,
          sessionKey: null,
          expiresAt: 100,
        });
      });
      assert.equal(await s.write((tx) => tx.deleteExpiredChallenges(200)), 1);
      assert.equal((await s.write((tx) => tx.takeChallenge('c3', 200)))?.purpose, 'add_device');
    }),
  );

  test(
    'sessions: joined person id, idle expiry moved up to the absolute one, ended by id, device and expiry',
    withStore(async (s) => {
      const { p, d1, d2 } = await s.write(async (tx) => {
        const person = await personOf(tx, 1, await org(tx, 1));
        return {
          p: person,
          d1: await tx.insertDevice(device(1, person)),
          d2: await tx.insertDevice(device(2, person)),
        };
      });
      const base = { personRid: p, publicKey: key(7), createdAt: 0 };
      await s.write(async (tx) => {
        await tx.insertSession({ ...base, id: 's1', deviceRid: d1, idleExpiresAt: 30, expiresAt: 100 });
        await tx.insertSession({ ...base, id: 's2', deviceRid: d2, idleExpiresAt: 30, expiresAt: 100 });
        await tx.insertSession({ ...base, id: 's3', deviceRid: d1, idleExpiresAt: 30, expiresAt: 100 });
      });
      assert.deepEqual(await s.read((tx) => tx.getSession('s1')), {
        ...base,
        id: 's1',
        personId: uuid(7001),
        deviceRid: d1,
        idleExpiresAt: 30,
        expiresAt: 100,
      });
      await s.write((tx) => tx.touchSession('s1', 500));
      assert.equal((await s.read((tx) => tx.getSession('s1')))?.idleExpiresAt, 100);
      await s.write((tx) => tx.touchSession('s2', 60));
      assert.equal((await s.read((tx) => tx.getSession('s2')))?.idleExpiresAt, 60);
      // s3 idles out at 30; s1 and s2 live on.
      assert.equal(await s.write((tx) => tx.deleteExpiredSessions(40)), 1);
      assert.equal(await s.read((tx) => tx.getSession('s3')), undefined);
      // Removing device 1 ends s1 with it.
      assert.equal(await s.write((tx) => tx.deleteDevice(d1)), true);
      assert.equal(await s.read((tx) => tx.getSession('s1')), undefined);
      assert.equal(await s.read((tx) => tx.getDevice(uuid(8001))), undefined);
      assert.equal(await s.write((tx) => tx.deleteSession('s2')), true);
      assert.equal(await s.write((tx) => tx.deleteSession('s2')), false);
    }),
  );

  test(
    'a removed person: their sessions, devices, enrolment code and registration challenges are deleted, no one else’s',
    withStore(async (s) => {
      const people = await s.write(async (tx) => {
        const o = await org(tx, 1);
        return [await personOf(tx, 1, o), await personOf(tx, 2, o)] as const;
      });
      const devices = await s.write(async (tx) => [
        await tx.insertDevice(device(1, people[0])),
        await tx.insertDevice(device(2, people[0])),
        await tx.insertDevice(device(3, people[1])),
      ]);
      await s.write(async (tx) => {
        for (const [i, personRid] of people.entries()) {
          const base = { personRid, publicKey: key(7), createdAt: 0, idleExpiresAt: 30, expiresAt: 100 };
          const own = i === 0 ? devices.slice(0, 2) : devices.slice(2);
          for (const [j, deviceRid] of own.entries()) {
            await tx.insertSession({ ...base, id: `s${i}${j}`, deviceRid });
          }
          await tx.setEnrolmentCode({
            personRid,
            selector: `CODE000${i}`,
            verifierHash: key(9),
            createdAt: 1,
            expiresAt: 100,
          });
          for (const purpose of ['enrol', 'add_device'] as const) {
            await tx.insertChallenge({
              id: `${purpose}-${i}`,
              purpose,
              challenge: 'x',
              personRid,
              sessionKey: null,
              expiresAt: 100,
            });
          }
        }
      });
      await s.write((tx) => tx.deleteSignInOfPerson(people[0]));
      const left = await s.read(async (tx) => ({
        devices: [...(await tx.listDevices(people[0])), ...(await tx.listDevices(people[1]))].map(
          (d) => d.id,
        ),
        byCredential: await tx.getDeviceByCredential('cred-1'),
        sessions: (await Promise.all(['s00', 's01', 's10'].map((id) => tx.getSession(id)))).map((x) => x?.id),
        codes: [
          (await tx.getEnrolmentCode('CODE0000'))?.personRid,
          (await tx.getEnrolmentCode('CODE0001'))?.personRid,
        ],
      }));
      assert.deepEqual(left, {
        devices: [uuid(8003)],
        byCredential: undefined,
        sessions: [undefined, undefined, 's10'],
        codes: [undefined, people[1]],
      });
      for (const purpose of ['enrol', 'add_device']) {
        assert.equal(await s.write((tx) => tx.takeChallenge(`${purpose}-0`, 50)), undefined, purpose);
        assert.equal((await s.write((tx) => tx.takeChallenge(`${purpose}-1`, 50)))?.personRid, people[1]);
      }
      // Nothing left is not an error: a repeat changes nothing.
      await s.write((tx) => tx.deleteSignInOfPerson(people[0]));
      assert.equal((await s.read((tx) => tx.listDevices(people[1]))).length, 1);
    }),
  );

  test(
    'a removal racing sign-ins on the person’s device: no error, and no session or device is left',
    withStore(async (s) => {
      for (let round = 0; round < 8; round++) {
        const { p, d } = await s.write(async (tx) => {
          const person = await personOf(tx, 10 + round, await org(tx, 10 + round));
          return { p: person, d: await tx.insertDevice(device(10 + round, person)) };
        });
        const signIn = (n: number) =>
          s.write(async (tx) => {
            if (!(await tx.advanceDeviceCounter(d, 5, 6, 1))) return false;
            await tx.insertSession({
              id: `r${round}-${n}`,
              personRid: p,
              deviceRid: d,
              publicKey: key(n),
              createdAt: 1,
              idleExpiresAt: 30,
              expiresAt: 100,
            });
            return true;
          });
        const [first, , second] = await Promise.all([
          signIn(1),
          s.write((tx) => tx.deleteSignInOfPerson(p)),
          signIn(2),
        ]);
        assert.ok(!(first && second), 'the counter moves once');
        assert.deepEqual(await s.read((tx) => tx.listDevices(p)), []);
        for (const n of [1, 2])
          assert.equal(await s.read((tx) => tx.getSession(`r${round}-${n}`)), undefined);
      }
    }),
  );
}
