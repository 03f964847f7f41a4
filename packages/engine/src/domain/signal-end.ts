// When a signal stops being active (docs/engine.md "The life of a signal"): at the end of the
// end date the client sent, but never later than the active term after placing. The portal
// shows the same day before it sends (its placement preview); both are held to the shared
// vectors in test/vectors/signal-end-dates.json.

import { DAY_MS, endOfDay } from '../time.js';

/**
 * `expiresAt` of a signal placed at `placedAt`: `min(end of endDay, placedAt + activeTermDays)`.
 * `endDay`: midnight UTC of the end date sent (`parseDate`), or undefined without one.
 */
export function signalExpiresAt(
  placedAt: number,
  endDay: number | undefined,
  activeTermDays: number,
): number {
  const activeUntil = placedAt + activeTermDays * DAY_MS;
  return endDay === undefined ? activeUntil : Math.min(endOfDay(endDay), activeUntil);
}
