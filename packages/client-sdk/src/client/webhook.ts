// A webhook verifier bound to the server's public keys (one, or two during a server key
// rotation: docs/keys.md) with an in-memory replay guard. Verification itself is the
// protocol's verifyWebhook; this adds key parsing, nonce memory and body parsing.

import { SluisError } from '../errors.js';
import { base64url } from '../protocol/encoding.js';
import { type WebhookVerification, verifyWebhook } from '../protocol/http-signature.js';
import { MAX_CLOCK_SKEW_SECONDS } from '../protocol/labels.js';
import { isValidPublicKey, keyIdFromPublicKey } from '../protocol/signing-key.js';
import type { InboxEventType } from './types.js';

export interface WebhookNotification {
  readonly type: InboxEventType;
  readonly matchId: string;
  readonly cursor: string;
}

export interface IncomingWebhook {
  /** The URL registered with the municipality (configuration, not taken from the request). */
  readonly targetUri: string;
  readonly headers: { readonly get: (name: string) => string | null } | Record<string, string | undefined>;
  readonly body: Uint8Array;
}

export type WebhookResult =
  | { readonly ok: true; readonly keyId: string; readonly notification: WebhookNotification }
  | {
      readonly ok: false;
      readonly code: Exclude<WebhookVerification, { ok: true }>['code'] | 'body_invalid';
    };

/** Parses server public keys (base64url, 32 bytes) into the map verifyWebhook wants. */
export function serverKeyMap(publicKeys: readonly (string | Uint8Array)[]): Map<string, Uint8Array> {
  if (publicKeys.length < 1 || publicKeys.length > 2) throw new SluisError('key_invalid');
  const map = new Map<string, Uint8Array>();
  for (const k of publicKeys) {
    const bytes = typeof k === 'string' ? base64url.decode(k) : k;
    if (bytes === undefined || !isValidPublicKey(bytes)) throw new SluisError('key_invalid');
    map.set(keyIdFromPublicKey(bytes), Uint8Array.from(bytes));
  }
  return map;
}

/** Remembers nonces for twice the accepted clock skew: long enough to refuse every replay. */
export class NonceMemory {
  readonly #seen = new Map<string, number>();
  readonly #clock: () => number;
  readonly #max: number;

  constructor(clock: () => number, maxEntries = 100_000) {
    this.#clock = clock;
    this.#max = maxEntries;
  }

  remember = (keyId: string, nonce: string): boolean => {
    const now = this.#clock();
    const id = `${keyId}:${nonce}`;
    if (this.#seen.has(id)) return false;
    if (this.#seen.size >= this.#max) {
      for (const [k, until] of this.#seen) if (until < now) this.#seen.delete(k);
      // Still full: forget the oldest; refusing valid deliveries would lose notifications.
      if (this.#seen.size >= this.#max) this.#seen.delete(this.#seen.keys().next().value!);
    }
    this.#seen.set(id, now + 2 * MAX_CLOCK_SKEW_SECONDS * 1000);
    return true;
  };
}

const EVENT_TYPES = new Set(['match.created', 'match.updated', 'match.ended', 'match.removed']);

function parseNotification(body: Uint8Array): WebhookNotification | undefined {
  try {
    const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as Record<string, unknown>;
    if (
      typeof v === 'object' &&
      v !== null &&
      EVENT_TYPES.has(v.type as string) &&
      typeof v.matchId === 'string' &&
      typeof v.cursor === 'string'
    ) {
      return { type: v.type as InboxEventType, matchId: v.matchId, cursor: v.cursor };
    }
  } catch {
    // fall through
  }
  return undefined;
}

export function makeWebhookVerifier(
  serverKeys: ReadonlyMap<string, Uint8Array>,
  clock: () => number,
): (input: IncomingWebhook) => WebhookResult {
  const nonces = new NonceMemory(clock);
  return (input) => {
    const r = verifyWebhook({
      targetUri: input.targetUri,
      headers: input.headers,
      body: input.body,
      serverKeys,
      now: Math.floor(clock() / 1000),
      rememberNonce: nonces.remember,
    });
    if (!r.ok) return r;
    const notification = parseNotification(input.body);
    if (notification === undefined) return { ok: false, code: 'body_invalid' };
    return { ok: true, keyId: r.keyId, notification };
  };
}
