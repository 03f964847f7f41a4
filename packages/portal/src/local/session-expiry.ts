// When the session ends without another request, as this browser knows it (docs/portal.md
// "Signing in"): every signed answer tells the seconds left (`Sluis-Session-Expires-In`,
// ../api/http.ts), and every request moves the end on — in whichever tab of this browser it
// was made. So each tab tells the others what it learnt on a BroadcastChannel
// (`sluis.session-expiry`; the message holds the session id, a moment, the milliseconds left
// and a number of seconds, nothing about a person), and each keeps the latest end it heard of:
// every value is a lower bound of the server's, which only moves forward. The end is kept on
// two clocks and the earlier one counts: the wall clock goes on while the computer sleeps, the
// page's monotonic clock (`performance.now()`) is not moved back by a changed wall clock.

import type { SessionEnd } from '../api/http.js';

/** What is known of one session's idle end. */
export interface KnownExpiry extends SessionEnd {
  /** The moment (this browser's wall clock, ms) the session ends without another request. */
  readonly endsAt: number;
  /** The same end on this page's monotonic clock (`performance.now()`, ms). */
  readonly monotonicEndsAt: number;
  /** The longest time left any answer told (s): the idle term, or less near the absolute end. */
  readonly termSeconds: number;
}

const CHANNEL = 'sluis.session-expiry';

interface Message {
  readonly sessionId: string;
  readonly endsAt: number;
  /** The milliseconds left on the sender's monotonic clock when it sent the message. */
  readonly leftMs: number;
  readonly seconds: number;
}

function isMessage(x: unknown): x is Message {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  return (
    typeof m.sessionId === 'string' &&
    typeof m.endsAt === 'number' &&
    Number.isFinite(m.endsAt) &&
    typeof m.leftMs === 'number' &&
    Number.isFinite(m.leftMs) &&
    typeof m.seconds === 'number' &&
    Number.isFinite(m.seconds)
  );
}

export class SessionExpiryTracker {
  readonly #known = new Map<string, KnownExpiry>();
  readonly #listeners = new Set<() => void>();
  #channel: BroadcastChannel | null = null;

  /** Starts hearing (and telling) the other tabs; without BroadcastChannel each tab knows its own. */
  listenToTabs(): () => void {
    if (typeof BroadcastChannel !== 'function') return () => {};
    const c = new BroadcastChannel(CHANNEL);
    c.onmessage = (e: MessageEvent) => {
      // Each page has a monotonic clock of its own: the time left, counted on from its arrival.
      if (isMessage(e.data))
        this.#learn(
          e.data.sessionId,
          { endsAt: e.data.endsAt, monotonicEndsAt: performance.now() + e.data.leftMs },
          e.data.seconds,
          false,
        );
    };
    this.#channel = c;
    return () => {
      c.close();
      if (this.#channel === c) this.#channel = null;
    };
  }

  /** An answer of this tab said `seconds` left for `sessionId`, so it ends no earlier than `end`. */
  told(sessionId: string, end: SessionEnd, seconds: number): void {
    this.#learn(sessionId, end, seconds, true);
  }

  #learn(sessionId: string, end: SessionEnd, seconds: number, tell: boolean): void {
    const before = this.#known.get(sessionId);
    const endsAt = Math.max(before?.endsAt ?? end.endsAt, end.endsAt);
    const monotonicEndsAt = Math.max(before?.monotonicEndsAt ?? end.monotonicEndsAt, end.monotonicEndsAt);
    const termSeconds = Math.max(before?.termSeconds ?? seconds, seconds);
    if (
      before?.endsAt === endsAt &&
      before.monotonicEndsAt === monotonicEndsAt &&
      before.termSeconds === termSeconds
    )
      return;
    this.#known.set(sessionId, { endsAt, monotonicEndsAt, termSeconds });
    if (tell) {
      const leftMs = end.monotonicEndsAt - performance.now();
      this.#channel?.postMessage({ sessionId, endsAt: end.endsAt, leftMs, seconds } satisfies Message);
    }
    for (const l of this.#listeners) l();
  }

  known(sessionId: string): KnownExpiry | undefined {
    return this.#known.get(sessionId);
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/**
 * The milliseconds left before the known end, the earlier of the two clocks': a wall clock set
 * back after a request does not delay it, and one that slept (the monotonic clock may stand
 * still with the computer) does not either.
 */
export function timeLeft(known: KnownExpiry, wallNow = Date.now(), monotonicNow = performance.now()): number {
  return Math.min(known.endsAt - wallNow, known.monotonicEndsAt - monotonicNow);
}

/** How long before the end the page warns: 2 minutes, or half the idle term when that is shorter. */
export function warningLead(termSeconds: number): number {
  return Math.min(120_000, (termSeconds * 1000) / 2);
}

/** The page's one tracker (app.tsx connects it to ../api/http.ts and the other tabs). */
export const sessionExpiry = new SessionExpiryTracker();
