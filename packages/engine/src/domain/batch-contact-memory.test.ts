// The request hash's contact member is not kept in process memory past its batch
// (request-hash-body.ts `RequestHashMemo`, docs/performance.md "BKV: three exact removals in the
// batch path"): after a batch and a single placement have answered and their inputs and answers
// are dropped, a heap snapshot of this process holds no text of that member (name, role, phone
// and e-mail of the batch's professional, quoted and joined as the memo kept it). The fields
// themselves do stay, in the validation's memory of accepted contact texts (validation.ts
// `rememberedTextFault`, up to 512 per rule; docs/engine.md "Batch placement"), and the test
// checks that too, so that the docs' account of what stays is the one the process shows.

import { getHeapSnapshot, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { INPUT_RULES } from '../input-rules.js';
import { type Harness, harness, placement, TEST_STORE } from '../testing/harness.js';
import { isRememberedText } from '../validation.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The whole heap snapshot as text (strings appear in it verbatim, JSON-escaped). */
async function heapText(): Promise<string> {
  gc();
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// Assembled at run time, so that the module's own source text holds none of them whole.
const marker = (part: string) => ['Kwartel', part, 'Zeldzaam'].join('');

/** A batch and a single placement by one professional; nothing of them is returned. */
async function placeWith(contact: { name: string; role: string; phone: string; email: string }) {
  const a = await h.org('Jeugdzorg A');
  // Created, existing and refused items, then one alone: every path of the memo.
  const results = await h.engine.placeSignals(a.actor, [
    placement(1, { contact }),
    placement(2, { contact }),
    placement(2, { contact }),
    { ...placement(4, { contact }), subject: [] },
  ]);
  expect(results.map((r) => (r.ok ? r.outcome : 'refused'))).toEqual([
    'created',
    'created',
    'existing',
    'refused',
  ]);
  await h.engine.placeSignal(a.actor, placement(5, { contact: { ...contact } }));
}

// On SQLite only: the memo is the engine's, whatever the store, and the PostgreSQL driver's
// buffers hold the last rows' JSON (with the same quoted fields) by their own lifetime.
describe.skipIf(TEST_STORE === 'postgres')('a batch keeps no request-hash contact member in memory', () => {
  it('holds none of the quoted contact fields after the batch, only the accepted texts', async () => {
    h = await harness();
    await placeWith({
      name: marker('naam'),
      role: 'jeugdhulpverlener',
      phone: ['+31 6 9137', '2846'].join(''),
      email: `${marker('post')}@example.nl`,
    });
    const heap = await heapText();
    // Made after the snapshot, as the snapshot writes a string (JSON-escaped): the request
    // hash's contact member as it writes it, whole, and each field's quoted text (the member
    // is built by concatenation, and the snapshot shows such a string as its parts). The
    // fields unquoted are held by the validation's memory of accepted contact texts, by its
    // own rule (validation.ts `rememberedTextFault`, docs/engine.md "Input validation").
    const name = marker('naam');
    const phone = ['+31 6 9137', '2846'].join('');
    const email = `${marker('post')}@example.nl`;
    const inSnapshot = (text: string) => heap.includes(JSON.stringify(text).slice(1, -1));
    expect(heap.length).toBeGreaterThan(1_000_000);
    expect(inSnapshot(email)).toBe(true);
    // What does stay, and why: each field in its rule's memory of accepted texts.
    for (const [rule, value] of [
      [INPUT_RULES.contactName, name],
      [INPUT_RULES.contactRole, 'jeugdhulpverlener'],
      [INPUT_RULES.contactPhone, phone],
      [INPUT_RULES.contactEmail, email],
    ] as const)
      expect(isRememberedText(rule, value)).toBe(true);
    expect(
      inSnapshot(
        `{"email":${JSON.stringify(email)},"name":${JSON.stringify(name)},"phone":${JSON.stringify(phone)},"role":"jeugdhulpverlener"}`,
      ),
    ).toBe(false);
    for (const field of [name, phone, email]) expect(inSnapshot(JSON.stringify(field))).toBe(false);
  });
});
