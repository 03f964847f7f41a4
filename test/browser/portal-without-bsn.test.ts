// A person without a BSN placed in the portal (docs/portal.md "A person without a BSN"), in
// Chromium against the real match server and pseudonym service: under an OPRF epoch the form
// offers surname, date of birth and gender instead of the BSN (axe: 0 violations, Dutch and
// English); the signal matches the same person placed by another organisation with
// `sluis signal --without-bsn`, the name written otherwise; no surname or birth date reaches a
// URL, a request, IndexedDB, the page's console or a server's output.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Org } from '../support/e2e-world.js';
import type { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';
import { browserSkipReason, expectNoAxeViolations, launch, watchPage } from './browser-support.js';
import { type PersonBrowser, PortalWorld, signedInPerson, startPortalWithService } from './portal-world.js';

const skip = browserSkipReason();
const IN_PORTAL = { surname: 'van der Kroonenbergh', dateOfBirth: '2014-05-06', gender: 'V' };
const BY_CLI = { surname: 'Kroonenbergh, v.d.', dateOfBirth: '2014-05-06', gender: 'V' };
const SECRETS = ['Kroonenbergh', 'kroonenbergh', 'KROONENBERGH', '2014-05-06', '20140506'];

/** Every record of every IndexedDB store of the page, as JSON. */
function indexedDbDump(page: PersonBrowser['page']): Promise<string> {
  return page.evaluate(async () => {
    const out: unknown[] = [];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const r = db.transaction(name).objectStore(name).getAll();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        out.push({ name, all });
      }
      db.close();
    }
    return JSON.stringify(out);
  });
}

describe.skipIf(skip !== undefined)('portal: a person without a BSN', () => {
  const world = new PortalWorld();
  let service: PseudonymServiceProcess;
  let browser: Browser;
  let A: Org;
  let B: Org;
  let anna: PersonBrowser;

  beforeAll(async () => {
    const started = await startPortalWithService(world, [
      { name: 'Jeugdzorg Oost', type: 'youth_care' },
      // B places with its own key through `sluis`.
      { name: 'Wijkteam Noord', type: 'social_services', byKey: true },
    ]);
    service = started.service;
    [A, B] = started.orgs;
    const code = await world.inviteNamed(A, 'Anna Jansen', ['professional']);
    browser = await launch();
    anna = await signedInPerson(world, browser, code.code);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await world.close();
  });

  it('is placed in the page by surname, date of birth and gender, and matches the same person placed by the CLI', async () => {
    const page = anna.page;
    const watch = watchPage(page);
    await page.goto(`${world.origin}/portal/#/signals/new`);
    const option = page.getByLabel('Deze persoon heeft geen BSN');
    await option.waitFor({ timeout: 20_000 }).catch(async (e: unknown) => {
      throw new Error(`no option; the page says: ${await page.locator('main').textContent()}`, { cause: e });
    });
    await option.check();
    await page.getByLabel('Achternaam').waitFor();
    await expect(page.getByLabel('BSN', { exact: true }).count()).resolves.toBe(0);
    // The checks of the SDK's rules in the page, before anything is pseudonymised: nothing sent.
    const before = anna.requests.length;
    await page.getByRole('button', { name: 'Controleren' }).click();
    await page.getByText('Vul de achternaam in.').first().waitFor();
    await page.getByText('Kies het geslacht.').first().waitFor();
    expect(anna.requests.length).toBe(before);
    await expectNoAxeViolations(page, 'place a signal, without a BSN, errors shown (nl)');

    await page.getByLabel('Achternaam').fill(IN_PORTAL.surname);
    await page.getByLabel('Geboortedatum', { exact: true }).fill(IN_PORTAL.dateOfBirth);
    await page.getByLabel('Vrouw').check();
    await page.getByLabel('Nog niet').check();
    await page.getByLabel('Naam', { exact: true }).fill('Anna Jansen');
    await page.getByLabel('Functie').fill('jeugdconsulent');
    await page.getByLabel('Telefoon').fill('+31 10 555 1234');
    await page.getByRole('button', { name: 'Controleren' }).click();
    await page.getByRole('button', { name: 'Versturen' }).click();
    await page.getByText('Uw signaal is afgegeven').waitFor();

    // The same person by B, written otherwise, through `sluis signal --without-bsn`.
    const r = await world.orgCli(
      B,
      [
        'signal',
        '--without-bsn',
        '--name',
        'Bert de Vries',
        '--role',
        'wijkcoach',
        '--email',
        'bert@wijkteam.example.nl',
        '--informed',
        'not_yet',
        '--json',
      ],
      `${BY_CLI.surname}\n${BY_CLI.dateOfBirth}\n${BY_CLI.gender}\n`,
      {
        SLUIS_PSEUDONYM_KEY_FILE: '',
        SLUIS_PSEUDONYM_KEY_EPOCH: '',
        SLUIS_OPRF_EPOCH: '2',
        SLUIS_OPRF_PUBLIC_KEY: service.publicKeys.get(2)!,
        SLUIS_PSEUDONYM_SERVICE_URL: service.url,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    type Stats = { matches: { active: number } };
    const matched = await eventually(async () => {
      const s = await world.adminJson<Stats>(['statistics']);
      return s.matches.active === 1 ? 1 : undefined;
    });
    expect(matched).toBe(1);

    // No surname or birth date anywhere the page or the servers put things.
    const places = [
      page.url(),
      ...anna.requests.map((q) => `${q.url}\n${q.body.toString('utf8')}`),
      await indexedDbDump(page),
      watch.problems.join('\n'),
      world.server.output(),
      service.output.join(''),
      world.orgCliOutput.join(''),
    ].join('\n');
    for (const s of SECRETS) expect(places.includes(s), `"${s}" left the form`).toBe(false);
    expect(watch.problems).toEqual([]);
  }, 180_000);

  it('the option in English passes axe too', async () => {
    const page = anna.page;
    // A fresh form: the first test left this page on the confirmation of the same route.
    await page.goto(`${world.origin}/portal/#/`);
    await page.goto(`${world.origin}/portal/#/signals/new`);
    await page.getByRole('button', { name: 'English' }).click();
    const option = page.getByLabel('This person has no BSN');
    await option.waitFor();
    await option.check();
    await page.getByLabel('Surname').waitFor();
    await expectNoAxeViolations(page, 'place a signal, without a BSN (en)');
    await page.getByRole('button', { name: 'Nederlands' }).click();
  }, 120_000);
});
