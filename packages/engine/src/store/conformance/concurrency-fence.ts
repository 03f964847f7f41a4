// Store conformance, the server-secret generation fence (docs/engine.md "Storage contract",
// clause 5) in every order of a write and a rotation to a newer generation: the write reads
// the generation first, fences first, starts first and fences after the rotation, or starts
// while the rotation holds the logbook section. In each order the write either commits
// before the rotation reads the logbook (the rotation sees its entry) or is refused whole
// with 'secret_generation_stale' — never committed unseen by the rotation. Cases for one or
// more instances (concurrency.ts runs them).

import assert from 'node:assert/strict';
import type { LogHead, Store, StoreWriter } from '../store.js';
import { type InstancesCase, latch, org, pause, stored } from './fixtures.js';

export const FENCE_CASES: InstancesCase[] = [];
const both = (name: string, run: InstancesCase['run']) => {
  FENCE_CASES.push({ name, run });
};

/** The rotation job's record of generation 2, written under the logbook section it entered. */
async function rotateTo2(tx: StoreWriter, hold?: () => Promise<void>): Promise<number | undefined> {
  const head = await tx.logbookHead();
  await tx.insertSecretRotation({
    generation: 2,
    startedAt: 1,
    completedAt: null,
    maxSignalRid: 0,
    cursorRid: 0,
    rowsRekeyed: 0,
    hashesRekeyed: 0,
  });
  await hold?.();
  return head.last?.seq;
}

/** The next logbook entry after `head`, by `action`. */
const entry = (action: string) => (head: LogHead | undefined) => {
  const seq = (head?.seq ?? 0) + 1;
  return { seq, at: seq, actor: '{}', action, refs: '{}', details: '{}', hash: stored(seq) };
};

/** 'committed', or the code the write was refused with. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'committed',
    (e: unknown) => (e instanceof Error && 'code' in e ? String(e.code) : 'other'),
  );

/**
 * Exactly one of the two orders, never the write committed unseen by the rotation: the write
 * committed and the rotation saw its entry (seq 1), or it was refused whole (no entry) and
 * the rotation saw an empty logbook.
 */
async function assertOneOrder(
  store: Store,
  result: string,
  seenByRotation: number | undefined,
): Promise<'committed' | 'refused'> {
  if (result === 'committed') {
    assert.equal(seenByRotation, 1);
    return 'committed';
  }
  assert.equal(result, 'secret_generation_stale');
  assert.equal(seenByRotation, undefined);
  assert.equal((await store.read((tx) => tx.logEntries(1, 10))).length, 0);
  return 'refused';
}

both(
  'the secret generation is fenced by the logbook section: a write that read generation 1 commits before a rotation to 2 can record it',
  async (stores) => {
    const [s0, s1] = [stores[0]!, stores[stores.length - 1]!];
    const [inSection, entered] = latch();
    const writer = s0.write(async (tx) => {
      const head = await tx.logbookHead();
      entered();
      await pause(150);
      await tx.insertLogEntry(entry('x')(undefined));
      return head.secretGeneration;
    });
    await inSection;
    // The rotation enters the section after the writer: it sees the writer's entry, and the
    // writer saw generation 1 because the rotation could not record 2 before it committed.
    const rotated = s1.write((tx) => rotateTo2(tx));
    assert.equal(await writer, 1);
    assert.equal(await rotated, 1);
    assert.equal((await s0.write((tx) => tx.logbookHead())).secretGeneration, 2);
  },
);

both(
  'a write fenced at generation 1 and a rotation to 2 at once: it commits before the rotation reads, or it is refused',
  async (stores) => {
    const [s0, s1] = [stores[0]!, stores[stores.length - 1]!];
    const [afterFence, fenced] = latch();
    const writer = outcome(
      s0.write(async (tx) => {
        await tx.fenceGeneration(1);
        fenced();
        await pause(150); // the rotation runs while this write is still going on
        await tx.appendLogEntry(entry('x'));
      }),
    );
    await afterFence;
    // What the rotation reads under the section: the writer's entry when the writer went first.
    const rotated = s1.write((tx) => rotateTo2(tx));
    await assertOneOrder(s0, await writer, await rotated);
  },
);

both(
  'a rotation to 2 holding the logbook section first: a write fenced at 1 meanwhile is refused, one fenced at 2 commits after it',
  async (stores) => {
    const [s0, s1] = [stores[0]!, stores[stores.length - 1]!];
    const [recorded, record] = latch();
    const rotated = s0.write((tx) =>
      rotateTo2(tx, async () => {
        record();
        await pause(150); // the writes below start while the rotation holds the section
      }),
    );
    await recorded;
    const fencedAt = (used: number) =>
      outcome(
        s1.write(async (tx) => {
          await tx.fenceGeneration(used);
          await tx.appendLogEntry(entry(`at-${used}`));
        }),
      );
    const [at1, at2] = await Promise.all([fencedAt(1), fencedAt(2)]);
    assert.equal(await rotated, undefined);
    assert.equal(at1, 'secret_generation_stale');
    assert.equal(at2, 'committed');
    assert.deepEqual(
      (await s0.read((tx) => tx.logEntries(1, 10))).map((r) => r.action),
      ['at-2'],
    );
  },
);

both(
  'a write begun before a rotation to 2 and fenced at 1 after it: refused when the rotation committed first, else seen by it',
  async (stores) => {
    const [s0, s1] = [stores[0]!, stores[stores.length - 1]!];
    const [begun, begin] = latch();
    const [rotationDone, rotationEnded] = latch();
    const writer = outcome(
      s0.write(async (tx) => {
        await org(tx, 1);
        begin();
        // A store that runs one write at a time holds the rotation back until this write
        // ends: it fences after a while instead, and the rotation then sees its entry.
        await Promise.race([rotationDone, pause(300)]);
        await tx.fenceGeneration(1);
        await tx.appendLogEntry(entry('x'));
      }),
    );
    await begun;
    const rotated = s1.write((tx) => rotateTo2(tx)).finally(rotationEnded);
    // Refused whole: neither its entry nor the organisation it wrote before the fence.
    if ((await assertOneOrder(s0, await writer, await rotated)) === 'refused') {
      assert.equal((await s0.read((tx) => tx.listOrganisations())).length, 0);
    }
  },
);
