// The server's text-field schemas (built from the engine's rules, docs/api.md "Text
// fields") against the shared input vectors that the engine's and the SDK's tests read
// too, and the refusal on the wire: 400 text_forbidden with the field path, the value
// never echoed, a batch item refused alone, nothing stored.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type InputField, vectors } from '../../../../../test/support/vectors.js';
import { BSN_A, type Harness, json, makeHarness } from '../../testing/harness.js';
import { issueCode } from '../validation.js';
import { Admit } from './admin.js';
import { ConsentBody } from './matches.js';
import { Contact } from './primitives.js';

const BASE = { name: 'J. de Vries', role: 'wijkcoach', phone: '0612345678', email: 'j@example.nl' };
const KEY = 'vjXzfnGXX1cr40qobQQ6DhPCIq9Q-QIoRH1Li1rWi0w';

function outcome(schema: z.ZodType, value: unknown): string {
  const r = schema.safeParse(value);
  return r.success ? 'valid' : issueCode(r.error);
}

const CHECK: Record<InputField, (v: string) => string> = {
  'contact.name': (v) => outcome(Contact, { ...BASE, name: v }),
  'contact.role': (v) => outcome(Contact, { ...BASE, role: v }),
  'contact.phone': (v) => outcome(Contact, { ...BASE, phone: v }),
  'contact.email': (v) => outcome(Contact, { ...BASE, email: v }),
  'organisation.name': (v) => outcome(Admit, { name: v, type: 'youth_care', publicKeys: [KEY] }),
  'consent.formReference': (v) =>
    outcome(ConsentBody, { date: '2026-01-01', scopes: ['team_meeting'], formReference: v }),
};

describe('shared input vectors (test/vectors/inputs.json)', () => {
  for (const c of vectors.inputs().cases) {
    it(`${c.field} ${JSON.stringify(c.value).slice(0, 40)} → ${c.expect}${c.note ? ` (${c.note})` : ''}`, () => {
      expect(CHECK[c.field](c.value)).toBe(c.expect);
    });
  }
});

describe('on the wire', () => {
  let h: Harness;
  let A: Awaited<ReturnType<Harness['admit']>>;
  beforeAll(async () => {
    h = await makeHarness();
    A = await h.admit('Jeugdzorg Rijnmond');
  });
  afterAll(async () => h.close());

  it('a BSN in the contact name → 400 text_forbidden naming the field, not echoing it; nothing stored', async () => {
    const body = h.placement(BSN_A, 'J. de Vries');
    (body.contact as Record<string, string>).name = 'Client 999 900 006';
    const r = await h.call(A.key, 'POST', '/v1/signals', { body });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    const text = await r.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'text_forbidden', fields: ['contact.name'] });
    // The answer carries a random correlation id, so look for the value itself, not any digits.
    expect(text).not.toMatch(/999 900|Client/);
    expect(h.logs.join('\n')).not.toMatch(/999 900|Client 999/);
    expect((await h.engine.statistics()).signals.active).toBe(0);
  });

  it('a bidi override in an organisation name → 400 text_forbidden', async () => {
    const r = await h.call(h.admin, 'POST', '/v1/admin/organisations', {
      body: { name: 'Zorg\u202e BV', type: 'youth_care', publicKeys: [KEY] },
    });
    expect(r.status).toBe(400);
    expect(await json(r)).toMatchObject({ code: 'text_forbidden', fields: ['name'] });
  });

  it('a batch item with a BSN in the role is refused alone with text_forbidden', async () => {
    const good = h.placement('111222333', 'A. Jansen');
    const bad = h.placement('999900018', 'B. Bakker');
    (bad.contact as Record<string, string>).role = 'wijkcoach BSN 999900006';
    const r = await h.call(A.key, 'POST', '/v1/signals/batch', { body: { items: [good, bad] } });
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).not.toContain('999900006');
    const { results } = JSON.parse(text) as { results: Record<string, unknown>[] };
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toEqual({
      index: 1,
      ok: false,
      code: 'text_forbidden',
      fields: ['items.1.contact.role'],
    });
  });
});
