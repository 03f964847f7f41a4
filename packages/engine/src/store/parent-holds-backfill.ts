// Schema step SQLite 23 / PostgreSQL 16: the holds of the parent links of people restricted
// or under a pending objection before the hold existed (docs/engine.md "GDPR requests
// (municipality only)", docs/operations.md "Upgrade"). Step 22 / 15 added the column with
// every link free; this step holds what the desk's request would have held, so that nobody
// restricted earlier keeps free parent links until the desk repeats the request. One
// statement per bit, the same on both stores, idempotent (a link already held keeps its bit).
//
// Where a restriction is recorded: on the person's own signals (as subject), flags bit 0
// restricted, bits 2-3 the objection (1 pending; sqlite/codec.ts `encodeFlags`), active or
// archived alike — as parent-holds.ts `personHold` reads them. Each parent row whose stored
// value is such a signal's subject value gets the bit: PARENT_HOLD.restricted (1) or
// PARENT_HOLD.objection (2). The literals are frozen here, as a released step is never edited.
// What it cannot reach: a person with no signal of their own (a restriction of theirs left no
// row), and a value whose rows stand at different server-secret generations (a rotation
// interrupted by the upgrade); operations.md "Upgrade" says what to repeat.

/** The statements of the step: subject values of flagged signals → their parent rows hold the bit. */
export const PARENT_HOLDS_BACKFILL = [
  { bit: 1, flagged: '(flags & 1) <> 0' },
  { bit: 2, flagged: '(flags & 12) = 4' },
]
  .map(
    ({ bit, flagged }) => `
  UPDATE signal_pseudonyms SET held = held | ${bit}
  WHERE role = 1 AND (held & ${bit}) = 0 AND stored IN (
    SELECT stored FROM signal_pseudonyms
    WHERE role = 0 AND signal IN (SELECT rid FROM signals WHERE ${flagged})
  );`,
  )
  .join('\n');
