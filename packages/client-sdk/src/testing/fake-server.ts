// An in-memory stand-in for the match server, used as the client's injected fetch. It
// verifies every request's signature exactly as docs/protocol.md §5 prescribes (with the
// protocol's own verifier primitives), refuses reused nonces, records every request as
// sent (for "no BSN on the wire" assertions) and implements just enough of docs/api.md.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8 } from '../protocol/encoding.js';
import { refusalOf, SIG_INPUT_RE } from './fake-auth.js';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly nonce: string;
}

export type Fault =
  | { kind: 'network' }
  | { kind: 'hang' }
  | { kind: 'status'; status: number; code: string; retryAfter?: string }
  /** Process the request, then lose the answer (the connection drops). */
  | { kind: 'lose-answer' };

type Json = Record<string, unknown>;

export interface FakeServerOptions {
  readonly publicKey: Uint8Array;
  readonly keyId: string;
  readonly now?: () => number;
  readonly pageSize?: number;
  /** Placements the organisation may make in all; more are refused with budget_exceeded. */
  readonly budget?: number;
  /** The epochs whoami reports (default: epoch 1, active). */
  readonly epochs?: readonly { readonly epoch: number; readonly status: 'active' | 'retired' }[];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  /** requestId → the body hash and signal it created. */
  readonly placements = new Map<string, { bodyHash: string; signalId: string }>();
  /** Every time the server actually created a signal, its requestId (duplicates would show). */
  readonly created: string[] = [];
  readonly signals = new Map<string, Json>();
  readonly subjects = new Map<string, string>();
  readonly events: Json[] = [];
  readonly migrated: Json[] = [];
  /** signalId → consent as the server would store it. */
  readonly consents = new Map<string, Json>();
  /** matchId → agreements (append-only as far as the fake goes). */
  readonly agreements = new Map<string, Json[]>();
  readonly #seenNonces = new Set<string>();
  readonly #opts: FakeServerOptions;
  #nextId = 1;

  constructor(opts: FakeServerOptions) {
    this.#opts = opts;
  }

  #uuid(): string {
    const n = (this.#nextId++).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }

  get now(): number {
    return (this.#opts.now ?? Date.now)();
  }

  fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const u = new URL(input);
    const method = init.method ?? 'GET';
    const bodyBytes = init.body === undefined ? new Uint8Array(0) : (init.body as Uint8Array);
    const headers = { ...(init.headers as Record<string, string>) };
    const fault = this.faults.shift();
    if (fault?.kind === 'network') throw new TypeError('fetch failed');
    if (fault?.kind === 'hang') {
      return new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    const query = u.search.startsWith('?') ? u.search.slice(1) : '';
    const sig = SIG_INPUT_RE.exec(headers['signature-input'] ?? '');
    this.requests.push({
      method,
      url: input,
      path: u.pathname,
      query,
      headers,
      body: new TextDecoder().decode(bodyBytes),
      nonce: sig?.[3] ?? '',
    });
    if (fault?.kind === 'status') {
      return this.#problem(fault.status, fault.code, [], fault.retryAfter);
    }
    // Authentication, as the server does it.
    const refused = refusalOf(
      { method, path: u.pathname, query, headers, body: bodyBytes, signatureInput: sig },
      { keyId: this.#opts.keyId, publicKey: this.#opts.publicKey, nowSeconds: Math.floor(this.now / 1000) },
      this.#seenNonces,
    );
    if (refused !== undefined) return this.#problem(401, refused);
    if (bodyBytes.length > 0 && headers['content-type'] !== 'application/json') {
      return this.#problem(415, 'unsupported_media_type');
    }
    const body = bodyBytes.length > 0 ? (JSON.parse(new TextDecoder().decode(bodyBytes)) as Json) : {};
    // A reverse proxy in front of the server may mount it under a prefix.
    const res = this.#route(
      method,
      u.pathname.replace(/^\/sluis(?=\/)/, ''),
      new URLSearchParams(query),
      body,
      bodyBytes,
    );
    if (fault?.kind === 'lose-answer') throw new TypeError('connection reset');
    return res;
  };

  #json(status: number, body: unknown): Response {
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'corr-1' },
    });
  }

  #problem(status: number, code: string, fields: string[] = [], retryAfter?: string): Response {
    return new Response(
      JSON.stringify({
        type: `urn:sluis:problem:${code}`,
        title: 't',
        status,
        code,
        fields,
        correlationId: 'corr-2',
      }),
      {
        status,
        headers: {
          'content-type': 'application/problem+json',
          ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
        },
      },
    );
  }

  #place(p: Json, raw: string): { status: number; body: Json } {
    const requestId = p.requestId as string;
    const bodyHash = bytesToHex(sha256(utf8(raw)));
    const prior = this.placements.get(requestId);
    if (prior !== undefined) {
      if (prior.bodyHash !== bodyHash)
        return { status: 409, body: { code: 'request_id_reused', fields: [] } };
      return { status: 200, body: { outcome: 'replayed', signal: this.signals.get(prior.signalId) } };
    }
    const subject = (p.subject as Json[]).map((s) => `${s.epoch}:${s.value}`).join('|');
    const existing = this.subjects.get(subject);
    if (existing !== undefined) {
      this.placements.set(requestId, { bodyHash, signalId: existing });
      return { status: 200, body: { outcome: 'existing', signal: this.signals.get(existing) } };
    }
    if (this.#opts.budget !== undefined && this.created.length >= this.#opts.budget) {
      return { status: 429, body: { code: 'budget_exceeded', fields: [] } };
    }
    const id = this.#uuid();
    const signal = {
      id,
      status: 'active',
      contact: p.contact,
      informed: p.informed,
      placedAt: iso(this.now),
      expiresAt: iso(this.now + 730 * 86_400_000),
      endedAt: null,
      endReason: null,
      purgeAt: null,
      epochs: (p.subject as Json[]).map((s) => s.epoch),
      hasParents: Array.isArray(p.parents),
      legalBasis: typeof p.legalBasis === 'string' ? p.legalBasis : 'jeugdwet',
      underObjection: false,
    };
    this.signals.set(id, signal);
    this.subjects.set(subject, id);
    this.placements.set(requestId, { bodyHash, signalId: id });
    this.created.push(requestId);
    return { status: 201, body: { outcome: 'created', signal } };
  }

  #route(method: string, path: string, q: URLSearchParams, body: Json, raw: Uint8Array): Response {
    const pageSize = this.#opts.pageSize ?? 2;
    if (method === 'GET' && path === '/v1/whoami') {
      return this.#json(200, {
        organisation: { id: 'o1', name: 'Jeugdzorg Test', type: 'youth_care', status: 'active' },
        authenticatedBy: 'key',
        key: { keyId: this.#opts.keyId, status: 'active' },
        budget: { perDay: 500, usedToday: 1 },
        epochs: this.#opts.epochs ?? [{ epoch: 1, status: 'active' }],
      });
    }
    if (method === 'POST' && path === '/v1/signals') {
      const r = this.#place(body, new TextDecoder().decode(raw));
      return r.status >= 400 ? this.#problem(r.status, r.body.code as string) : this.#json(r.status, r.body);
    }
    if (method === 'POST' && path === '/v1/signals/batch') {
      const items = body.items as Json[];
      const results = items.map((item, index) => {
        if ((item.contact as Json).name === 'server-refuses') {
          return { index, ok: false, code: 'validation_failed', fields: [`items.${index}.contact.name`] };
        }
        const r = this.#place(item, JSON.stringify(item));
        return r.status >= 400
          ? { index, ok: false, code: r.body.code, fields: [] }
          : { index, ok: true, outcome: r.body.outcome, signal: r.body.signal };
      });
      return this.#json(200, { results });
    }
    if (method === 'POST' && path === '/v1/signals/migrate') {
      const items = body.items as Json[];
      this.migrated.push(...items);
      const results = items.map((item, index) => {
        const s = this.signals.get(item.signalId as string);
        return s === undefined
          ? { index, ok: false, code: 'not_found', fields: [] }
          : { index, ok: true, outcome: 'created', signal: s };
      });
      return this.#json(200, { results });
    }
    if (method === 'GET' && path === '/v1/signals') {
      const all = [...this.signals.values()];
      const start = Number(q.get('cursor') ?? '0');
      const limit = Number(q.get('limit') ?? pageSize);
      const items = all.slice(start, start + limit);
      const next = start + limit < all.length ? { nextCursor: String(start + limit) } : {};
      return this.#json(200, { items, ...next });
    }
    if (method === 'GET' && path === '/v1/matches') {
      const after = q.get('cursor');
      const start = after === null ? 0 : this.events.findIndex((e) => e.cursor === after) + 1;
      const limit = Number(q.get('limit') ?? pageSize);
      const items = this.events.slice(start, start + limit);
      const last = items[items.length - 1];
      return this.#json(200, { items, ...(last === undefined ? {} : { nextCursor: last.cursor }) });
    }
    let m = /^\/v1\/signals\/([^/]+)$/.exec(path);
    if (method === 'GET' && m !== null) {
      const s = this.signals.get(m[1]!);
      return s === undefined ? this.#problem(404, 'not_found') : this.#json(200, s);
    }
    m = /^\/v1\/signals\/([^/]+)\/withdraw$/.exec(path);
    if (method === 'POST' && m !== null) {
      const s = this.signals.get(m[1]!);
      if (s === undefined) return this.#problem(404, 'not_found');
      if (body.reason === 'error') {
        this.signals.delete(m[1]!);
        return this.#json(204, null);
      }
      const ended = {
        ...s,
        status: 'inactive',
        endReason: 'ended',
        endedAt: iso(this.now),
        purgeAt: iso(this.now),
      };
      this.signals.set(m[1]!, ended);
      return this.#json(200, ended);
    }
    m = /^\/v1\/signals\/([^/]+)\/(contact|informed)$/.exec(path);
    if (method === 'PUT' && m !== null) {
      const s = this.signals.get(m[1]!);
      if (s === undefined) return this.#problem(404, 'not_found');
      const updated = { ...s, ...body };
      this.signals.set(m[1]!, updated);
      return this.#json(200, updated);
    }
    if (method === 'POST' && path === '/v1/signals/transfer') {
      return this.#json(200, { transferred: (body.signalIds as string[]).length });
    }
    m = /^\/v1\/signals\/([^/]+)\/consent(\/withdraw)?$/.exec(path);
    if (m !== null) {
      if (!this.signals.has(m[1]!)) return this.#problem(404, 'not_found');
      const cur = this.consents.get(m[1]!) ?? null;
      if (method === 'GET') return this.#json(200, { consent: cur });
      if (method === 'POST' && m[2] !== undefined) {
        if (cur === null || cur.status !== 'given') return this.#problem(409, 'conflict');
        const w = { ...cur, status: 'withdrawn', withdrawnAt: iso(this.now) };
        this.consents.set(m[1]!, w);
        return this.#json(200, { consent: w });
      }
      const c = {
        signalId: m[1],
        status: 'given',
        date: body.date,
        scopes: body.scopes,
        formReference: body.formReference ?? null,
        recordedAt: iso(this.now),
        withdrawnAt: null,
      };
      this.consents.set(m[1]!, c);
      return this.#json(200, { consent: c });
    }
    if (method === 'GET' && path === '/v1/agreements/vocabulary') {
      return this.#json(200, {
        consentScopes: ['team_meeting', 'share_with_matched'],
        actionKinds: ['home_visit', 'case_meeting'],
        informationCategories: ['housing', 'none'],
        purposes: ['prevent_eviction', 'coordinate_support'],
      });
    }
    m = /^\/v1\/matches\/([^/]+)\/agreements(?:\/([^/]+)\/status)?$/.exec(path);
    if (m !== null) {
      if (!this.events.some((x) => x.matchId === m![1] && x.match !== null))
        return this.#problem(404, 'not_found');
      const list = this.agreements.get(m[1]!) ?? [];
      this.agreements.set(m[1]!, list);
      if (method === 'GET') return this.#json(200, { items: list });
      if (m[2] !== undefined) {
        const i = list.findIndex((a) => a.id === m![2]);
        if (i === -1) return this.#problem(404, 'not_found');
        const a = list[i]!;
        const updated = {
          ...a,
          status: body.status,
          history: [...(a.history as Json[]), { status: body.status, at: iso(this.now), by: 'me' }],
        };
        list[i] = updated;
        return this.#json(200, updated);
      }
      const a = {
        id: this.#uuid(),
        ...body,
        status: 'open',
        createdAt: iso(this.now),
        createdBy: 'me',
        history: [{ status: 'open', at: iso(this.now), by: 'me' }],
      };
      list.push(a);
      return this.#json(201, a);
    }
    m = /^\/v1\/matches\/([^/]+)(\/contact-made|\/follow-up|\/regie)?$/.exec(path);
    if (m !== null) {
      const e = this.events.find((x) => x.matchId === m![1] && x.match !== null);
      if (e === undefined) return this.#problem(404, 'not_found');
      return this.#json(200, e.match);
    }
    return this.#problem(404, 'not_found');
  }

  /** Adds an inbox event with a plausible match view. */
  addMatchEvent(type = 'match.created', matchId = this.#uuid()): Json {
    const cursor = String(this.events.length + 1);
    const e: Json = {
      cursor,
      type,
      at: iso(this.now),
      matchId,
      match:
        type === 'match.removed'
          ? null
          : {
              id: matchId,
              kind: 'person',
              status: 'active',
              createdAt: iso(this.now),
              ownSignalId: this.#uuid(),
              counterpart: {
                organisationName: 'Wijkteam Noord',
                contact: { name: 'A. Jansen', role: 'wijkcoach', email: 'a.jansen@example.nl' },
              },
              underObjection: false,
              restricted: false,
              followUp: {
                contactMadeByMe: null,
                contactMadeByCounterpart: null,
                mine: null,
                counterpart: null,
              },
              regie: { holder: 'me', since: iso(this.now), proposal: null },
              coordination: { status: 'anonymous', myScopes: [], counterpartScopes: [] },
            },
    };
    this.events.push(e);
    return e;
  }
}
