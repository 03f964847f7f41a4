// When the session ends without another request, as this browser knows it (docs/portal.md
// "Signing in"): every signed answer tells the seconds left (`Sluis-Session-Expires-In`,
// ../api/http.ts), and every request moves the end on — in whichever tab of this browser it
// was made. So each tab tells the others what it learnt on a BroadcastChannel
// (`sluis.session-expiry`; the message holds the session id, a moment and a number of
// seconds, nothing about a person), and each keeps the latest end it heard of: every value
// is a lower bound of the server's, which only moves forward.

/** What is known of one session's idle end. */
export interface KnownExpiry {
  /** The moment (this browser's clock, ms) the session ends without another request. */
  readonly endsAt: number;
  /** The longest time left any answer told (s): the idle term, or less near the absolute end. */
  readonly termSeconds: number;
}

const CHANNEL = 'sluis.session-expiry';

interface Message {
  readonly sessionId: string;
  readonly endsAt: number;
  readonly seconds: number;
}

function isMessage(x: unknown): x is Message {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  return (
    typeof m.sessionId === 'string' &&
    typeof m.endsAt === 'number' &&
    Number.isFinite(m.endsAt) &&
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
      if (isMessage(e.data)) this.#learn(e.data, false);
    };
    this.#channel = c;
    return () => {
      c.close();
      if (this.#channel === c) this.#channel = null;
    };
  }

  /** An answer of this tab said `seconds` left for `sessionId`, counted from `endsAt - seconds`. */
  told(sessionId: string, endsAt: number, seconds: number): void {
    this.#learn({ sessionId, endsAt, seconds }, true);
  }

  #learn(m: Message, tell: boolean): void {
    const before = this.#known.get(m.sessionId);
    const endsAt = Math.max(before?.endsAt ?? m.endsAt, m.endsAt);
    const termSeconds = Math.max(before?.termSeconds ?? m.seconds, m.seconds);
    if (before?.endsAt === endsAt && before.termSeconds === termSeconds) return;
    this.#known.set(m.sessionId, { endsAt, termSeconds });
    if (tell) this.#channel?.postMessage(m);
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

/** How long before the end the page warns: 2 minutes, or half the idle term when that is shorter. */
export function warningLead(termSeconds: number): number {
  return Math.min(120_000, (termSeconds * 1000) / 2);
}

/** The page's one tracker (app.tsx connects it to ../api/http.ts and the other tabs). */
export const sessionExpiry = new SessionExpiryTracker();
