// Shared pieces of the reliability suite (docs/reliability.md): the CI/soak scale switch, a seeded
// random source, a signed HTTP client that talks to a real server process over loopback,
// the state snapshot that proves "a refused request changes nothing", and the pairwise
// match set computed from the final state. Pseudonyms here are random 32-byte values:
// no identifier is ever derived, so none can leak into a log or a report.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { base64url, parseSigningKey, SigningKey, signRequest } from '@sluis/client-sdk';

/** `SLUIS_SOAK=1` (the `pnpm soak` script) scales every loop of the suite up. */
export const SOAK = process.env.SLUIS_SOAK === '1';

/** The CI figure, or the soak figure under `pnpm soak`. */
export function scale(ci: number, soak: number): number {
  return SOAK ? soak : ci;
}

/** Prints one machine-readable summary line; docs/reliability.md copies these figures. */
export function summary(area: string, figures: Record<string, string | number | boolean>): void {
  process.stdout.write(`[reliability] ${area} ${JSON.stringify({ soak: SOAK, ...figures })}\n`);
}

/** mulberry32: a small seeded PRNG so a failing run can be repeated with its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedFromEnv(): number {
  const s = process.env.SLUIS_RELIABILITY_SEED;
  return s === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(s);
}

/** A random client pseudonym under epoch 1 (the server cannot tell it from a real one). */
export function randomPerson(): { epoch: number; value: string }[] {
  return [{ epoch: 1, value: base64url.encode(randomBytes(32)) }];
}

export function contact(name: string): Record<string, string> {
  return { name, role: 'jeugdconsulent', phone: '+31 10 123 4567', email: 'prof@example.nl' };
}

export function placementBody(requestId: string, person: unknown, name = 'J. de Vries'): unknown {
  return { requestId, subject: person, contact: contact(name), informed: { status: 'not_yet' } };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** A signed client for one key against a base URL that may change (restarts). */
export class SignedClient {
  constructor(
    readonly key: SigningKey,
    private readonly baseUrl: () => string,
    private readonly clock: () => number = Date.now,
  ) {}

  async call(method: string, target: string, body?: unknown): Promise<Answer> {
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const query = q === -1 ? '' : target.slice(q + 1);
    const bytes = body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body));
    const headers: Record<string, string> = {
      ...signRequest(this.key, { method, path, query }, bytes, { created: Math.floor(this.clock() / 1000) }),
    };
    if (method !== 'GET') headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl()}${target}`, {
      method,
      headers,
      ...(method === 'GET' ? {} : { body: bytes as Uint8Array<ArrayBuffer> }),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      json: <T>() => JSON.parse(text) as T,
    };
  }

  /** Follows `nextCursor` of a list route to the end. */
  async all<T>(target: string, cursorParam = 'cursor'): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10_000; i++) {
      const sep = target.includes('?') ? '&' : '?';
      const a = await this.call(
        'GET',
        cursor === undefined ? target : `${target}${sep}${cursorParam}=${encodeURIComponent(cursor)}`,
      );
      if (a.status !== 200) throw new Error(`list ${target.split('?')[0]} → ${a.status} ${a.text}`);
      const page = a.json<{ items: T[]; nextCursor?: string | null }>();
      out.push(...page.items);
      if (page.nextCursor === undefined || page.nextCursor === null || page.items.length === 0) return out;
      cursor = String(page.nextCursor);
    }
    throw new Error('pagination did not end');
  }
}

/**
 * Every key adminClient and admit made for the test file that imports this module (vitest gives
 * each file its own copy), until destroyKeys() zeroes them. Most are made in a beforeAll, where
 * caseKey refuses (test/support/case-keys.ts), and used by every case; the few a case admits
 * itself go the same way, at the file's end.
 */
const made: SigningKey[] = [];

/**
 * Zeroes the keys adminClient and admit made (docs/keys.md): call it in the afterAll that
 * stops the servers, after they stopped.
 */
export function destroyKeys(): void {
  for (const key of made.splice(0)) key.destroy();
}

export function adminClient(adminKeyFile: string, baseUrl: () => string): SignedClient {
  const key = parseSigningKey(readFileSync(adminKeyFile, 'utf8'));
  made.push(key);
  return new SignedClient(key, baseUrl);
}

export interface Org {
  readonly id: string;
  readonly client: SignedClient;
}

export async function admit(
  admin: SignedClient,
  name: string,
  baseUrl: () => string,
  extra: Record<string, unknown> = {},
): Promise<Org> {
  const key = SigningKey.generate();
  made.push(key);
  const a = await admin.call('POST', '/v1/admin/organisations', {
    name,
    type: 'youth_care',
    publicKeys: [base64url.encode(key.publicKey)],
    ...extra,
  });
  if (a.status !== 201) throw new Error(`admit → ${a.status} ${a.text}`);
  return {
    id: a.json<{ organisation: { id: string } }>().organisation.id,
    client: new SignedClient(key, baseUrl),
  };
}

/**
 * Everything a refused request must leave unchanged: the statistics (signals, matches,
 * organisations — and agreements), the organisation and
 * key lists, the webhook outbox, and the logbook's length and head hash. Security events
 * of refusals live only in the request log and /metrics (docs/reliability.md).
 */
export async function snapshot(admin: SignedClient): Promise<string> {
  const parts: unknown[] = [];
  for (const target of [
    '/v1/admin/logbook/verify',
    '/v1/admin/statistics',
    '/v1/admin/organisations',
    '/v1/admin/keys',
    '/v1/admin/webhooks?status=pending',
  ]) {
    const a = await admin.call('GET', target);
    if (a.status !== 200) throw new Error(`snapshot ${target} → ${a.status}`);
    parts.push(a.json());
  }
  return JSON.stringify(parts);
}

export interface InboxMatch {
  readonly matchId: string;
  readonly ownSignalId: string;
  readonly status: string;
}

/** The current view of every match in an organisation's inbox (last event per match wins). */
export async function inboxMatches(client: SignedClient): Promise<Map<string, InboxMatch | null>> {
  const events = await client.all<{
    matchId: string;
    type: string;
    match: { ownSignalId: string; status: string } | null;
  }>('/v1/matches?limit=500');
  const out = new Map<string, InboxMatch | null>();
  for (const e of events) {
    out.set(
      e.matchId,
      e.match === null
        ? null
        : { matchId: e.matchId, ownSignalId: e.match.ownSignalId, status: e.match.status },
    );
  }
  return out;
}

/**
 * Active match pairs as "signalA|signalB" (sorted) from the inboxes of all organisations.
 * Fails when a match is seen by a number of inboxes other than two.
 */
export async function activeMatchPairs(
  orgs: readonly Org[],
): Promise<{ pairs: string[]; problems: string[] }> {
  const sides = new Map<string, string[]>();
  for (const org of orgs) {
    for (const [id, m] of await inboxMatches(org.client)) {
      if (m === null || m.status !== 'active') continue;
      sides.set(id, [...(sides.get(id) ?? []), m.ownSignalId]);
    }
  }
  const problems: string[] = [];
  const pairs: string[] = [];
  for (const [id, s] of sides) {
    if (s.length !== 2) problems.push(`match ${id} seen by ${s.length} inboxes`);
    else pairs.push([...s].sort().join('|'));
  }
  return { pairs: pairs.sort(), problems };
}

/** Every pair of active signals about the same person from different organisations. */
export function expectedPairs(
  active: readonly { signalId: string; orgId: string; person: string }[],
): string[] {
  const byPerson = new Map<string, { signalId: string; orgId: string }[]>();
  for (const s of active) byPerson.set(s.person, [...(byPerson.get(s.person) ?? []), s]);
  const pairs: string[] = [];
  for (const list of byPerson.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (list[i]!.orgId !== list[j]!.orgId)
          pairs.push([list[i]!.signalId, list[j]!.signalId].sort().join('|'));
      }
    }
  }
  return pairs.sort();
}

/** A scrape with the token the server created in its data directory (docs/operations.md "Monitor"). */
export async function metricsText(server: { url: string; dataDir: string }): Promise<string> {
  const token = readFileSync(join(server.dataDir, 'keys', 'metrics.token'), 'utf8').trim();
  const r = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
  return r.text();
}

/** The value of one Prometheus sample (exact label set), or undefined. */
export function metric(text: string, name: string, labels = ''): number | undefined {
  const prefix = labels === '' ? `${name} ` : `${name}{${labels}} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

/** Sum of every sample of a metric whose labels match the filter. */
export function metricSum(text: string, name: string, filter: (labels: string) => boolean): number {
  let sum = 0;
  for (const l of text.split('\n')) {
    const m = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`).exec(l);
    if (m && filter(m[1]!)) sum += Number(m[2]);
  }
  return sum;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
