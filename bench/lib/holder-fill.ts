// The holders' file of the holder tools (tools/holder-index-ab.ts, tools/holder-inbox-ab.ts;
// docs/performance.md "The holder's index"): a SQLite file filled through the engine with
// organisation O's 20,000 signals placed on behalf of its 100 professionals (batch path, each
// professional's caseload given by the tool), 20,000 more by O's key alone (no person), and a
// second organisation placing the same 20,000 people in random order, so O has 20,000 matches
// and as many inbox events, each holder's spread over them. The engine is closed when it returns.

import { randomBytes } from 'node:crypto';
import type { Engine } from '@sluis/engine';
import type { EngineOrganisation } from './engine-organisations.js';
import { engineOnFile } from './engine-on-file.js';
import { benchContact } from './population.js';

export const HELD = 20_000;
export const PROFESSIONALS = 100;
const BATCH = 500;
const ADMIN = { kind: 'admin', keyId: 'bench-admin' } as const;

export interface HolderFile {
  /** Organisation O, whose professionals hold the signals. */
  readonly o: EngineOrganisation['actor'];
  /** O's professionals' person ids, professional i holding `caseloadOf(i)` signals. */
  readonly people: readonly string[];
}

/**
 * Fills the new file at `path` (organisations `${name} 1` and `${name} 2`; caseloads sum to HELD)
 * under `secrets` (random by default), the server secrets an engine opening the file again must have.
 */
export async function fillHolderFile(
  path: string,
  name: string,
  caseloadOf: (i: number) => number,
  secrets?: ReadonlyMap<number, Uint8Array>,
): Promise<HolderFile> {
  const { engine, actors, serverSecrets } = await engineOnFile(path, 2, name, secrets);
  const [o, p] = [actors[0]!, actors[1]!];
  const people: string[] = [];
  for (let i = 0; i < PROFESSIONALS; i++) {
    const person = await engine.addPerson(ADMIN, {
      organisationId: o.organisationId,
      displayName: `Professional ${i + 1}`,
      email: null,
      roles: ['professional'],
    });
    people.push(person.id);
  }
  const values: string[] = [];
  const item = (n: number, value: string, org: number) => ({
    requestId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    subject: [{ epoch: 1, value }],
    contact: benchContact(n, org),
    informed: { status: 'citizen' as const, date: '2026-01-05' },
  });
  const place = async (actor: Parameters<Engine['placeSignals']>[0], items: ReturnType<typeof item>[]) => {
    for (let i = 0; i < items.length; i += BATCH) {
      const results = await engine.placeSignals(actor, items.slice(i, i + BATCH));
      if (results.some((r) => !r.ok)) throw new Error('holder-fill: a placement was refused');
    }
  };
  let n = 0;
  for (let i = 0; i < PROFESSIONALS; i++) {
    const items = Array.from({ length: caseloadOf(i) }, () => {
      const value = randomBytes(32).toString('base64url');
      values.push(value);
      return item(n++, value, 0);
    });
    await place({ ...o, personId: people[i]!, personRole: 'professional' }, items);
  }
  await place(
    o,
    Array.from({ length: HELD }, () => item(n++, randomBytes(32).toString('base64url'), 0)),
  );
  // The matches arrive in random order, so each holder's events are spread over O's inbox.
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  await place(
    p,
    values.map((v) => item(n++, v, 1)),
  );
  await engine.close();
  serverSecrets.destroy();
  return { o, people };
}
