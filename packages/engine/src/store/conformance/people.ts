// Store conformance, people (docs/engine.md "People and roles"): a person row round-trips
// with its organisation's public id joined in (null for the municipality), roles come back
// in PERSON_ROLES order whatever order they were given in, listings are per side in
// creation order with removed people included, a patch changes only the fields it names,
// a duplicate id is a 'conflict' that leaves the first row intact, and a person row written
// by a rolled-back operation is gone. Removed people past a time who hold no signal are found
// in rid order, and deleting one takes the match notices addressed to them and nothing else.

import assert from 'node:assert/strict';
import { EngineError, isEngineError } from '../../errors.js';
import { type ConformanceContext, newSignal, notice, org, person, uuid } from './fixtures.js';

export function peopleCases({ test, withStore }: ConformanceContext): void {
  test(
    'people round-trip, list per side in creation order and patch only what is named',
    withStore(async (s) => {
      const { a, b } = await s.write(async (tx) => ({ a: await org(tx, 1), b: await org(tx, 2) }));
      const rids = await s.write(async (tx) => [
        await tx.insertPerson(
          person(1, a, { roles: ['organisation_coordinator', 'professional'], email: 'p1@example.nl' }),
        ),
        await tx.insertPerson(
          person(2, null, { roles: ['administrator', 'match_coordinator', 'gdpr_desk'] }),
        ),
        await tx.insertPerson(person(3, b)),
        await tx.insertPerson(person(4, a)),
      ]);
      assert.equal(new Set(rids).size, 4);
      const p1 = await s.read((tx) => tx.getPerson(uuid(5001)));
      assert.deepEqual(p1, {
        rid: rids[0],
        id: uuid(5001),
        organisationRid: a,
        organisationId: uuid(1001),
        displayName: 'Person 1',
        email: 'p1@example.nl',
        roles: ['professional', 'organisation_coordinator'],
        status: 'active',
        createdAt: 101,
        removedAt: null,
      });
      const p2 = await s.read((tx) => tx.getPerson(uuid(5002)));
      assert.equal(p2?.organisationRid, null);
      assert.equal(p2?.organisationId, null);
      assert.deepEqual(p2?.roles, ['match_coordinator', 'gdpr_desk', 'administrator']);
      assert.equal(await s.read((tx) => tx.getPerson(uuid(5999))), undefined);

      assert.deepEqual(
        (await s.read((tx) => tx.listPeople(a))).map((p) => p.id),
        [uuid(5001), uuid(5004)],
      );
      assert.deepEqual(
        (await s.read((tx) => tx.listPeople(null))).map((p) => p.id),
        [uuid(5002)],
      );

      await s.write((tx) => tx.updatePerson(rids[0]!, { status: 'removed', removedAt: 500 }));
      const removed = await s.read((tx) => tx.getPerson(uuid(5001)));
      assert.deepEqual(removed, { ...p1, status: 'removed', removedAt: 500 });
      await s.write((tx) => tx.updatePerson(rids[0]!, { roles: ['professional'], email: null }));
      assert.deepEqual(await s.read((tx) => tx.getPerson(uuid(5001))), {
        ...p1,
        status: 'removed',
        removedAt: 500,
        roles: ['professional'],
        email: null,
      });
      // Removed people stay listed (the logbook's ids must resolve).
      assert.equal((await s.read((tx) => tx.listPeople(a))).length, 2);
      // An unknown rid is a no-op.
      await s.write((tx) => tx.updatePerson(999_999, { status: 'removed', removedAt: 1 }));
    }),
  );

  test(
    'removed people past a time who hold no signal, in rid order; deleting one takes their mail notices (docs/privacy.md §4)',
    withStore(async (s) => {
      const a = await s.write((tx) => org(tx, 1));
      const [early, holder, late, active, municipal] = await s.write(async (tx) => [
        await tx.insertPerson(person(1, a, { status: 'removed', removedAt: 100 })),
        await tx.insertPerson(person(2, a, { status: 'removed', removedAt: 100 })),
        await tx.insertPerson(person(3, a, { status: 'removed', removedAt: 200 })),
        await tx.insertPerson(person(4, a)),
        await tx.insertPerson(person(5, null, { status: 'removed', removedAt: 50 })),
      ]);
      await s.write((tx) => tx.insertSignal(newSignal(a, 1, { personRid: holder! })));
      assert.deepEqual(await s.read((tx) => tx.removedPeopleBefore(200, 10)), [early, municipal]);
      assert.deepEqual(await s.read((tx) => tx.removedPeopleBefore(201, 1)), [early]);
      assert.deepEqual(await s.read((tx) => tx.removedPeopleBefore(201, 10)), [early, late, municipal]);
      await s.write(async (tx) => {
        await tx.insertMailNotice(notice(1, early!, uuid(9100)));
        await tx.insertMailNotice(notice(2, active!, uuid(9100)));
      });
      await s.write((tx) => tx.deletePerson(early!));
      assert.equal(await s.read((tx) => tx.getPerson(uuid(5001))), undefined);
      assert.equal(await s.read((tx) => tx.getMailNotice(uuid(9001))), undefined);
      assert.equal((await s.read((tx) => tx.getMailNotice(uuid(9002))))?.personRid, active);
      assert.equal((await s.read((tx) => tx.getPerson(uuid(5002))))?.status, 'removed');
      assert.deepEqual(await s.read((tx) => tx.removedPeopleBefore(201, 10)), [late, municipal]);
    }),
  );

  test(
    'a duplicate person id is a conflict and a rolled-back insert leaves nothing',
    withStore(async (s) => {
      const a = await s.write((tx) => org(tx, 1));
      await s.write((tx) => tx.insertPerson(person(1, a)));
      await assert.rejects(
        s.write((tx) => tx.insertPerson(person(1, a, { displayName: 'Other' }))),
        (e: unknown) => isEngineError(e, 'conflict'),
      );
      assert.equal((await s.read((tx) => tx.getPerson(uuid(5001))))?.displayName, 'Person 1');
      await assert.rejects(
        s.write(async (tx) => {
          await tx.insertPerson(person(2, a));
          throw new EngineError('validation_failed', 'rolled back');
        }),
        (e: unknown) => isEngineError(e, 'validation_failed'),
      );
      assert.equal(await s.read((tx) => tx.getPerson(uuid(5002))), undefined);
    }),
  );
}
