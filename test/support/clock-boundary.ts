// Keeps a case that counts per UTC hour or day clear of the next boundary. The engine counts
// the placement budget per UTC day and the placement-rate alert per UTC hour
// (packages/engine/src/domain/budget.ts); the pseudonym service counts its evaluation budget
// per UTC day (packages/pseudonym-service/src/abuse/evaluation-budget.ts, guarded in
// gdpr-desk-credential) and rotates its logbook at the UTC day change (logbook.ts, guarded in
// process-durability). A test clock built on wall time (the server harness, a real server
// process) turns that hour or day whenever the wall clock does, and a case that straddles it
// sees its counts split (fewer refused, no alert) or its lines in another file. These helpers
// give the case `roomMs` of its own before the next boundary, without changing what it asserts.

// The engine's own UTC hour and day, so a boundary here is the one the engine counts by.
export { DAY_MS, HOUR_MS } from '../../packages/engine/src/time.js';

/** Milliseconds from `now` to the next whole `unitMs` since the epoch (a UTC hour or day). */
export function untilBoundary(now: number, unitMs: number): number {
  return unitMs - (now % unitMs);
}

/**
 * For a clock the test can move forward: the amount to advance it by (0 or the time left to
 * the boundary), so that at least `roomMs` lies before the next one.
 */
export function advanceOverBoundary(now: number, unitMs: number, roomMs: number): number {
  const left = untilBoundary(now, unitMs);
  return left < roomMs ? left : 0;
}

/**
 * For wall time that cannot be moved (a real server without the test clock): waits until the
 * boundary has passed when less than `roomMs` is left before it. It waits only in the last
 * `roomMs` of an hour or day, so `roomMs` must fit in the case's timeout beside its own work.
 */
export async function waitOverBoundary(clock: () => number, unitMs: number, roomMs: number): Promise<void> {
  const left = untilBoundary(clock(), unitMs);
  if (left >= roomMs) return;
  await new Promise((r) => setTimeout(r, left + 50));
  // A timer may fire a little early against the wall clock: wait out the rest.
  while (untilBoundary(clock(), unitMs) < roomMs) await new Promise((r) => setTimeout(r, 10));
}
