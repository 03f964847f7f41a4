// The GDPR desk's erasure (art. 17) and objection (art. 21) across two server processes on one
// PostgreSQL database (docs/privacy.md §2, docs/engine.md "GDPR requests (municipality only)",
// "Objections"): the desk signs in with its passkey and sends, on instance A, the signed
// requests the portal's desk screen sends (its session key, the citizen named by pseudonym);
// instance B then answers as the documents say — an erased person's signals and matches are
// gone (the counterparts' inboxes say `match.removed`), a pending objection holds the contacts
// back (`underObjection`) and a signal placed on B meanwhile inherits it unseen and matches
// nothing, an upheld one erases that signal too — and a placement on B for the same person
// afterwards is a new signal that matches as anyone's, tied to nothing before. Outside the
// logbook (whose older entries keep their ids until its term, docs/leakage.md §3.5) no row
// names an erased signal; the erased match only in its counterparts' `match.removed` events
// (docs/privacy.md §2 art. 17). The objection's inheritance on its own: a signal placed on B
// while the objection registered on A is pending carries it — it matches nothing, not even
// another signal placed there meanwhile, the desk's report on A lists it as under objection,
// and the rejection on A catches it up with the others (docs/engine.md "Objections"); so do a
// batch's items for the person placed on B (the batch route's own copy of the rule, batch-plan.ts).
// A few people, three organisations, loopback only; a throwaway cluster (test/support/postgres.ts),
// skipped without server binaries.

import {
  canonicaliseIdentifier,
  generateSessionKey,
  isSluisError,
  type Pseudonym,
  type RequestSigner,
  type SluisClient,
  sessionSigner,
  signRequestWith,
} from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Org, World } from '../support/e2e-world.js';
import { psqlValue } from '../support/postgres.js';
import type { ServerProcess } from '../support/server-process.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { clientVia, startTwoInstances, stopTwoInstances } from '../support/two-instances.js';

const url = inject('postgresUrl');
const name = `sluis_two_gdpr_${process.pid}`;
const PORTAL_ORIGIN = 'http://localhost:8443';
let w: World;
let b: ServerProcess;
let db = '';
let X: Org;
let Y: Org;
let Z: Org;
/** The GDPR desk's passkey session (docs/portal.md "The GDPR desk"). */
let desk: RequestSigner;

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read field by field
type Body = Record<string, any>;

/** A request of the desk's session to `server`, signed as the portal signs it. */
async function deskCall(server: ServerProcess, path: string, body: unknown): Promise<Body> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers = await signRequestWith(desk, { method: 'POST', path, query: '' }, bytes, {
    created: Math.floor(w.clock() / 1000),
  });
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: bytes,
  });
  const answer = (await res.json()) as Body;
  if (!res.ok) throw new Error(`${path} → ${res.status} ${answer.code}`);
  return answer;
}

async function ceremony(path: string, body: unknown): Promise<Body> {
  const res = await fetch(`${w.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Body;
}

/** The citizen as the desk names them: one pseudonym per active epoch (here HMAC epoch 1). */
const subjectOf = (bsn: string): Pseudonym[] => [
  w.pseudonymKey.pseudonymise(canonicaliseIdentifier('bsn', bsn)),
];

const today = () => new Date(w.clock()).toISOString().slice(0, 10);

/** Places a signal for `bsn` by `client`; the signal and the contact it carries. */
async function place(client: SluisClient, bsn: string) {
  const contact = w.contact('mentor');
  const r = await client.placeSignal({ bsn, contact, informed: { status: 'citizen', date: today() } });
  if (!('signal' in r)) throw new Error('held elsewhere');
  return { outcome: r.outcome, signal: r.signal, contact };
}

/** The problem code a call is refused with, or 'ok'. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return isSluisError(e) ? String(e.details.problemCode ?? e.code) : String(e);
  }
}

/** The inbox events of `client`, whole. */
async function inbox(client: SluisClient) {
  const out = [];
  for await (const e of client.inbox()) out.push(e);
  return out;
}

/** The match.created events in `client`'s inbox of its signal `signalId`. */
async function matchesOf(client: SluisClient, signalId: string) {
  return (await inbox(client)).filter((e) => e.type === 'match.created' && e.match?.ownSignalId === signalId);
}

/** The desk's pending objection for `bsn`, registered through instance A today. */
const objectPending = (bsn: string) =>
  deskCall(w.server, '/v1/admin/gdpr/object', {
    subject: subjectOf(bsn),
    status: 'pending',
    receivedOn: today(),
  });

/** The tables (but the logbook's) holding a row whose text form contains one of `values`. */
function tablesNaming(values: readonly string[]): string[] {
  const needles = values.flatMap((v) => [v, v.replaceAll('-', '')]);
  const tables = psqlValue(
    db,
    "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  ).split(',');
  const like = needles.map((n) => `'%${n.replace(/[^0-9a-zA-Z -]/g, '')}%'`).join(', ');
  return tables
    .filter((t) => t !== 'logbook' && t !== 'logbook_checkpoint')
    .filter(
      (t) => Number(psqlValue(db, `SELECT count(*) FROM ${t} x WHERE x::text LIKE ANY (ARRAY[${like}])`)) > 0,
    );
}

describe.skipIf(url === '')('the GDPR desk on one instance, the other instance after it', () => {
  beforeAll(async () => {
    ({ w, b, db } = await startTwoInstances(url, name, {
      args: ['--webauthn-rp-id', 'localhost', '--webauthn-origin', PORTAL_ORIGIN],
    }));
    X = await w.organisation('Jeugdzorg Oost', 'youth_care');
    Y = await w.organisation('Wijkteam Noord', 'social_services');
    Z = await w.organisation('Huisartsen Zuid', 'general_practice');
    // The desk: a municipality person with a passkey, signed in on A.
    const person = await w.adminJson<{ person: { id: string } }>([
      'add-person',
      '--display-name',
      'Dirk van het Loket',
      '--role',
      'gdpr_desk',
    ]);
    const invite = await w.adminJson<{ code: string }>(['invite', '--person-id', person.person.id]);
    const authenticator = w.hold(new SoftAuthenticator(PORTAL_ORIGIN, 'localhost'));
    const creation = await ceremony('/v1/enrolment/options', { code: invite.code });
    await ceremony('/v1/enrolment', {
      code: invite.code,
      deviceName: 'Loket',
      response: authenticator.create(creation.options),
    });
    const key = await generateSessionKey();
    const o = await ceremony('/v1/sessions/options', { sessionPublicKey: key.publicKey });
    const s = await ceremony('/v1/sessions', {
      challengeId: o.challengeId,
      response: authenticator.get(o.options),
    });
    desk = sessionSigner({ sessionId: s.sessionId, privateKey: key.privateKey });
  }, 180_000);

  afterAll(async () => stopTwoInstances(url, name, w, b));

  it('an erasure on A: on B the signals and the match are gone, a new placement is a new signal tied to nothing', async () => {
    const viaB = { X: clientVia(w, b, X), Y: clientVia(w, b, Y), Z: clientVia(w, b, Z) };
    const bsn = w.bsn();
    const other = w.bsn();
    // The person, and a control person, each with a match of X and Y (placed through A).
    const x = await place(X.client, bsn);
    const y = await place(Y.client, bsn);
    await place(X.client, other);
    await place(Y.client, other);
    const matchOf = async (c: SluisClient, signalId: string) =>
      (await inbox(c)).find((e) => e.match?.ownSignalId === signalId)?.matchId;
    const match = (await matchOf(viaB.X, x.signal.id))!;
    expect(match).toBeDefined();
    // The desk looks first (a view the citizen's report lists) — then erases, on A.
    expect(
      (await deskCall(w.server, '/v1/admin/gdpr/access', { subject: subjectOf(bsn) })).signals,
    ).toHaveLength(2);
    const erased = await deskCall(w.server, '/v1/admin/gdpr/erase', { subject: subjectOf(bsn) });
    expect(erased).toMatchObject({ signals: 2, matches: 1 });

    // B: the signals and the match are gone; both counterparts read match.removed.
    expect(await refusal(viaB.X.getSignal(x.signal.id))).toBe('not_found');
    expect(await refusal(viaB.Y.getSignal(y.signal.id))).toBe('not_found');
    expect(await refusal(viaB.X.getMatch(match))).toBe('not_found');
    for (const c of [viaB.X, viaB.Y]) {
      const events = (await inbox(c)).filter((e) => e.matchId === match);
      expect(events.map((e) => [e.type, e.match])).toEqual([['match.removed', null]]);
    }
    const access = await deskCall(b, '/v1/admin/gdpr/access', { subject: subjectOf(bsn) });
    expect(access).toMatchObject({ signals: [], parentLinks: [], matches: [], access: [] });
    // The control person's match is untouched, its contacts shown.
    const kept = (await inbox(viaB.X)).filter((e) => e.type === 'match.created' && e.match !== null);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.match!.counterpart.contact).not.toBeNull();

    // A placement on B for the same person: a new signal; with a second one it matches as
    // anyone's (nothing of the erasure is inherited), and the report lists nothing from before.
    const z = await place(viaB.Z, bsn);
    expect(z.outcome).toBe('created');
    const again = await place(viaB.X, bsn);
    expect(again.outcome).toBe('created');
    const fresh = await viaB.Z.getMatch((await matchOf(viaB.Z, z.signal.id))!);
    expect([fresh.underObjection, fresh.restricted, fresh.counterpart.contact?.name]).toEqual([
      false,
      false,
      again.contact.name,
    ]);
    const after = JSON.stringify(await deskCall(b, '/v1/admin/gdpr/access', { subject: subjectOf(bsn) }));
    for (const id of [x.signal.id, y.signal.id, match]) expect(after).not.toContain(id);

    // Outside the logbook no row names the erased signals or carries their contacts; the
    // erased match only in the counterparts' match.removed events (kept 30 days): the reveal
    // marks of who read it went with the erasure, as privacy.md §2 art. 17 says — the logbook's
    // match.revealed entries name the same ids until the logbook term.
    expect(tablesNaming([x.signal.id, y.signal.id, x.contact.name, y.contact.name])).toEqual([]);
    expect(tablesNaming([match])).toEqual(['events']);
  }, 180_000);

  it('an objection on A: pending, B holds the contacts back and a signal placed there matches nothing; upheld, B has none of it', async () => {
    const viaB = { X: clientVia(w, b, X), Y: clientVia(w, b, Y), Z: clientVia(w, b, Z) };
    const bsn = w.bsn();
    const x = await place(X.client, bsn);
    const y = await place(Y.client, bsn);
    const matchId = (await inbox(viaB.X)).find((e) => e.match?.ownSignalId === x.signal.id)!.matchId;
    const pending = await deskCall(w.server, '/v1/admin/gdpr/object', {
      subject: subjectOf(bsn),
      status: 'pending',
      receivedOn: today(),
    });
    expect(pending).toMatchObject({ signals: 2, onTime: true });

    // B: the match says only "under objection", to both parties; the signal view says so too.
    for (const c of [viaB.X, viaB.Y]) {
      const m = await c.getMatch(matchId);
      expect([m.underObjection, m.counterpart.contact]).toEqual([true, null]);
    }
    expect((await viaB.X.getSignal(x.signal.id)).underObjection).toBe(true);
    // A signal placed on B meanwhile inherits the objection unseen: created, its view as
    // anyone's, and no match with X's or Y's.
    const zMatches = async () => (await inbox(viaB.Z)).filter((e) => e.type === 'match.created').length;
    const zBefore = await zMatches();
    const z = await place(viaB.Z, bsn);
    expect([z.outcome, z.signal.underObjection, z.signal.restricted]).toEqual(['created', false, false]);
    expect(await zMatches()).toBe(zBefore);

    // Upheld on A: erased, the inherited signal too.
    const upheld = await deskCall(w.server, '/v1/admin/gdpr/object', {
      subject: subjectOf(bsn),
      status: 'upheld',
    });
    expect(upheld).toMatchObject({ signals: 3 });
    for (const [c, id] of [
      [viaB.X, x.signal.id],
      [viaB.Y, y.signal.id],
      [viaB.Z, z.signal.id],
    ] as const)
      expect(await refusal(c.getSignal(id))).toBe('not_found');
    expect(await refusal(viaB.X.getMatch(matchId))).toBe('not_found');
    expect(await deskCall(b, '/v1/admin/gdpr/access', { subject: subjectOf(bsn) })).toMatchObject({
      signals: [],
      matches: [],
      access: [],
    });
    // Nothing of the objection is left to inherit: a new placement on B matches as anyone's.
    const z2 = await place(viaB.Z, bsn);
    const y2 = await place(viaB.Y, bsn);
    expect([z2.outcome, y2.outcome]).toEqual(['created', 'created']);
    const event = (await inbox(viaB.Z)).find((e) => e.match?.ownSignalId === z2.signal.id);
    expect([event?.match?.underObjection, event?.match?.counterpart.contact?.name]).toEqual([
      false,
      y2.contact.name,
    ]);
    expect(tablesNaming([x.signal.id, y.signal.id, z.signal.id, x.contact.name, z.contact.name])).toEqual([]);
    expect(tablesNaming([matchId])).toEqual(['events']);
  }, 180_000);

  // The other test's signal placed on B matched nothing already because X's and Y's signals
  // were under objection; here the only signal the objection was registered on is X's, so the
  // two placed on B meanwhile would match each other but for the objection they inherit.
  it('a pending objection on A: two signals placed on B meanwhile carry it, match nothing, not even each other, and are caught up on its rejection', async () => {
    const viaB = { Y: clientVia(w, b, Y), Z: clientVia(w, b, Z) };
    const bsn = w.bsn();
    const x = await place(X.client, bsn);
    expect(await objectPending(bsn)).toMatchObject({ signals: 1, onTime: true });

    const z = await place(viaB.Z, bsn);
    const y = await place(viaB.Y, bsn);
    // Created, each view as anyone's (inherited, never shown), and no match at all.
    for (const p of [z, y])
      expect([p.outcome, p.signal.underObjection, p.signal.restricted]).toEqual(['created', false, false]);
    expect(await matchesOf(viaB.Z, z.signal.id)).toEqual([]);
    expect(await matchesOf(viaB.Y, y.signal.id)).toEqual([]);
    // The desk's report on A: every signal of the person under the pending objection.
    const report = await deskCall(w.server, '/v1/admin/gdpr/access', { subject: subjectOf(bsn) });
    const listed = (report.signals as Body[]).map((s) => [s.signalId, s.objection, s.restricted]).sort();
    expect(listed).toEqual([x.signal.id, z.signal.id, y.signal.id].map((id) => [id, 'pending', true]).sort());

    // Rejected on A: the three are caught up, each pair once.
    expect(
      await deskCall(w.server, '/v1/admin/gdpr/object', { subject: subjectOf(bsn), status: 'rejected' }),
    ).toMatchObject({ signals: 3 });
    const zMatches = await matchesOf(viaB.Z, z.signal.id);
    expect(zMatches.map((e) => e.match?.counterpart.contact?.name).sort()).toEqual(
      [x.contact.name, y.contact.name].sort(),
    );
    expect(zMatches.every((e) => e.match?.underObjection === false)).toBe(true);
    expect(await matchesOf(viaB.Y, y.signal.id)).toHaveLength(2);
  }, 180_000);

  // The batch route's own copy of that rule (batch-plan.ts): each batch item for the person
  // placed on B carries the objection pending through A, so Y's and Z's items match nothing,
  // not even each other; a batch item for another person beside it matches as usual.
  it('a pending objection on A: batch items placed on B for that person carry it and match nothing; the batch’s other items match', async () => {
    const viaB = { Y: clientVia(w, b, Y), Z: clientVia(w, b, Z) };
    const [bsn, other] = [w.bsn(), w.bsn()];
    const x = await place(X.client, bsn);
    const xOther = await place(X.client, other);
    expect(await objectPending(bsn)).toMatchObject({ signals: 1, onTime: true });
    const batch = async (c: SluisClient) => {
      const items = [bsn, other].map((n) => ({
        bsn: n,
        contact: w.contact('mentor'),
        informed: { status: 'citizen' as const, date: today() },
      }));
      const r = await c.placeSignals(items);
      return r.map((i) => {
        if (!i.ok) throw new Error(`batch item ${i.index} refused`);
        return { outcome: i.outcome, signal: i.signal, contact: items[i.index]!.contact };
      });
    };

    const [z, zOther] = await batch(viaB.Z);
    const [y, yOther] = await batch(viaB.Y);
    for (const p of [z!, y!])
      expect([p.outcome, p.signal.underObjection, p.signal.restricted]).toEqual(['created', false, false]);
    expect(await matchesOf(viaB.Z, z!.signal.id)).toEqual([]);
    expect(await matchesOf(viaB.Y, y!.signal.id)).toEqual([]);
    // The other person's items match X's signal and each other.
    expect(
      (await matchesOf(viaB.Y, yOther!.signal.id)).map((e) => e.match?.counterpart.contact?.name).sort(),
    ).toEqual([xOther.contact.name, zOther!.contact.name].sort());
    const report = await deskCall(w.server, '/v1/admin/gdpr/access', { subject: subjectOf(bsn) });
    const listed = (report.signals as Body[]).map((s) => [s.signalId, s.objection, s.restricted]).sort();
    expect(listed).toEqual(
      [x.signal.id, z!.signal.id, y!.signal.id].map((id) => [id, 'pending', true]).sort(),
    );

    // Rejected on A: the three are caught up, each pair once.
    expect(
      await deskCall(w.server, '/v1/admin/gdpr/object', { subject: subjectOf(bsn), status: 'rejected' }),
    ).toMatchObject({ signals: 3 });
    const zMatches = await matchesOf(viaB.Z, z!.signal.id);
    expect(zMatches.map((e) => e.match?.counterpart.contact?.name).sort()).toEqual(
      [x.contact.name, y!.contact.name].sort(),
    );
    expect(await matchesOf(viaB.Y, y!.signal.id)).toHaveLength(2);
  }, 180_000);
});
