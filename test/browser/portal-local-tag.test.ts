// What the portal keeps in the browser, in Chromium against the real match server and
// pseudonym service (docs/portal.md "What stays in the browser"): the lookup tag is a keyed
// MAC under a non-extractable key of this person in this browser, so localStorage holds no
// unkeyed SHA-256 of the pseudonym; "find my signal" works again after sign-out and sign-in in
// the same browser and finds nothing in another; a note goes once the server lists its signal
// nowhere for the person, and stays while an ended match still shows it; the own reference is
// refused when it holds a BSN.

import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Org, randomBsn } from '../support/e2e-world.js';
import { browserSkipReason } from './browser-support.js';
import {
  enrolAndSignIn,
  fillPlacement,
  type PersonBrowser,
  PortalWorld,
  sendPlacement,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();

/** Every localStorage item of the page, as `key=value` lines. */
const localStorageText = (page: Page) =>
  page.evaluate(() => {
    const parts: string[] = [];
    for (let i = 0; i < localStorage.length; i++)
      parts.push(`${localStorage.key(i)}=${localStorage.getItem(localStorage.key(i)!)}`);
    return parts.join('\n');
  });

/** The tag key record of `personId` in the page's IndexedDB: whether it is a non-extractable HMAC key. */
const tagKeyRecord = (page: Page, personId: string) =>
  page.evaluate(
    (id) =>
      new Promise<{ hmac: boolean; extractable: boolean } | null>((resolve, reject) => {
        const open = indexedDB.open('sluis.portal');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('tag-keys')) {
            db.close();
            resolve(null);
            return;
          }
          const get = db.transaction('tag-keys').objectStore('tag-keys').get(id);
          get.onsuccess = () => {
            const k = get.result as CryptoKey | undefined;
            db.close();
            resolve(
              k === undefined ? null : { hmac: k.algorithm.name === 'HMAC', extractable: k.extractable },
            );
          };
          get.onerror = () => reject(get.error);
        };
      }),
    personId,
  );

/** "Find my signal for this client" on My signals: the answer's text. */
async function lookUp(world: PortalWorld, page: Page, bsn: string): Promise<string> {
  await page.goto(`${world.origin}/portal/#/devices`);
  await page.goto(`${world.origin}/portal/#/signals`);
  await page.locator('#lookup-bsn').fill(bsn);
  await page.getByRole('button', { name: 'Zoeken' }).click();
  const answer = page.getByText(/^(Gevonden: |Geen signaal van u)/);
  await answer.waitFor();
  return (await answer.textContent()) ?? '';
}

describe.skipIf(skip !== undefined)('portal: what stays in the browser', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let A: Org;
  let anna: PersonBrowser;
  let bert: PersonBrowser;
  let annaId = '';

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    const { browser } = started;
    A = started.A;
    const a = await world.inviteNamed(A, 'Anna Jansen', ['professional']);
    const b = await world.inviteNamed(started.B, 'Bert de Vries', ['professional']);
    annaId = a.personId;
    anna = await signedInPerson(world, browser, a.code);
    bert = await signedInPerson(world, browser, b.code);
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('keeps a keyed tag, never the SHA-256 of the pseudonym; finds the signal after sign-out and sign-in here, not in another browser', async () => {
    const child = randomBsn();
    const sent = anna.requests.length;
    await fillPlacement(world, anna, { bsn: child, name: 'A. Jansen', reference: 'DOSSIER-ANNA-1' });
    await sendPlacement(anna);
    const post = anna.requests
      .slice(sent)
      .find((r) => r.method === 'POST' && new URL(r.url).pathname === '/v1/signals');
    const pseudonyms = (JSON.parse(post!.body.toString()) as { subject: { value: string }[] }).subject.map(
      (p) => p.value,
    );
    expect(pseudonyms.length).toBeGreaterThan(0);
    const kept = await localStorageText(anna.page);
    expect(kept).toContain('DOSSIER-ANNA-1');
    for (const p of pseudonyms) {
      expect(kept).not.toContain(createHash('sha256').update(p).digest('base64url'));
      expect(kept).not.toContain(p);
    }
    expect(kept).not.toContain(child);
    expect(await tagKeyRecord(anna.page, annaId)).toEqual({ hmac: true, extractable: false });

    // Sign out and in again in the same browser: the key and the notes stay.
    await anna.page.getByRole('button', { name: 'Uitloggen' }).click();
    await anna.page.goto(`${world.origin}/portal/#/sign-in`);
    await anna.page.getByRole('button', { name: 'Inloggen met passkey' }).click();
    await anna.page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    expect(await lookUp(world, anna.page, child)).toBe('Gevonden: DOSSIER-ANNA-1');

    // Another browser (context) of the same person: no key, no note, nothing found.
    const elsewhere = await world.person(started!.browser);
    try {
      await enrolAndSignIn(world, elsewhere, await world.code(A.signingKey, annaId));
      expect(await lookUp(world, elsewhere.page, child)).toMatch(/^Geen signaal van u/);
      expect(await localStorageText(elsewhere.page)).not.toContain('DOSSIER-ANNA-1');
    } finally {
      await elsewhere.context.close();
    }
  }, 180_000);

  it('drops a note once no list shows its signal, keeps one whose ended match is still listed', async () => {
    const alone = randomBsn();
    const matched = randomBsn();
    await fillPlacement(world, anna, { bsn: alone, name: 'A. Jansen', reference: 'DOSSIER-ANNA-2' });
    await sendPlacement(anna);
    await fillPlacement(world, anna, { bsn: matched, name: 'A. Jansen', reference: 'DOSSIER-ANNA-3' });
    await sendPlacement(anna);
    await fillPlacement(world, bert, { bsn: matched, name: 'B. de Vries' });
    await sendPlacement(bert);
    const notes = JSON.parse(
      (await anna.page.evaluate((id) => localStorage.getItem(`sluis.person.${id}`), annaId))!,
    ) as { notes: Record<string, { reference: string }> };
    const idOf = (ref: string) => Object.entries(notes.notes).find(([, n]) => n.reference === ref)![0];
    // Both ended through the API by the organisation's own system, not in this page.
    for (const ref of ['DOSSIER-ANNA-2', 'DOSSIER-ANNA-3'])
      await world.signed(A.signingKey, 'POST', `/v1/signals/${idOf(ref)}/withdraw`, { reason: 'ended' });

    await anna.page.goto(`${world.origin}/portal/#/devices`);
    await anna.page.goto(`${world.origin}/portal/#/signals`);
    await eventually(
      async () => ((await localStorageText(anna.page)).includes('DOSSIER-ANNA-2') ? undefined : true),
      15_000,
      'the note of the ended signal without a match is dropped',
    );
    const kept = await localStorageText(anna.page);
    expect(kept).toContain('DOSSIER-ANNA-3');
    expect(kept).toContain('DOSSIER-ANNA-1');
    // The ended match still names the own signal by its reference.
    await anna.page.goto(`${world.origin}/portal/#/matches`);
    await anna.page.getByRole('cell', { name: 'DOSSIER-ANNA-3' }).waitFor();
    expect(await lookUp(world, anna.page, alone)).toMatch(/^Geen signaal van u/);
  }, 180_000);

  it('refuses an own reference holding a BSN, beside the field, and sends nothing', async () => {
    const sent = anna.requests.length;
    await fillPlacement(world, anna, {
      bsn: randomBsn(),
      name: 'A. Jansen',
      reference: 'client 111 222 333',
    });
    const error = anna.page.getByText('Het kenmerk bevat een nummer dat op een BSN lijkt').first();
    await error.waitFor();
    expect(await anna.page.getByRole('button', { name: 'Versturen' }).count()).toBe(0);
    expect(anna.requests.slice(sent).some((r) => r.method === 'POST' && r.url.includes('/v1/signals'))).toBe(
      false,
    );
  }, 60_000);
});
