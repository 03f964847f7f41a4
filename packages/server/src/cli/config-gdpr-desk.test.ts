// The GDPR desk's organisation id at the pseudonym service (docs/operations.md "The GDPR
// desk in the portal"): unset by default; from the flag, the environment or the config file;
// anything but a lower-case UUID stops the start with one line naming the option and where it
// came from, never the value.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { loadConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-config-desk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ID = '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b';

describe('gdprDeskServiceOrganisationId', () => {
  it('is unset by default; the flag, the environment or the file sets it', () => {
    expect(loadConfig({ flags: {}, env: {}, cwd: dir }).gdprDeskServiceOrganisationId).toBeUndefined();
    writeFileSync(join(dir, 'desk.json'), JSON.stringify({ gdprDeskServiceOrganisationId: ID }));
    for (const inputs of [
      { flags: { 'gdpr-desk-service-organisation-id': ID }, env: {} },
      { flags: {}, env: { SLUIS_GDPR_DESK_SERVICE_ORGANISATION_ID: ID } },
      { flags: { config: 'desk.json' }, env: {} },
    ]) {
      expect(loadConfig({ ...inputs, cwd: dir }).gdprDeskServiceOrganisationId).toBe(ID);
    }
  });

  it('refuses anything but a lower-case UUID, naming the flag or variable and never the value', () => {
    for (const value of [ID.toUpperCase(), 'gemeente-rotterdam', `${ID}0`]) {
      for (const [inputs, source] of [
        [
          { flags: { 'gdpr-desk-service-organisation-id': value }, env: {} },
          '--gdpr-desk-service-organisation-id',
        ],
        [
          { flags: {}, env: { SLUIS_GDPR_DESK_SERVICE_ORGANISATION_ID: value } },
          'SLUIS_GDPR_DESK_SERVICE_ORGANISATION_ID',
        ],
      ] as const) {
        let error: unknown;
        try {
          loadConfig({ ...inputs, cwd: dir });
        } catch (e) {
          error = e;
        }
        expect(error, value).toBeInstanceOf(ServerError);
        const message = String((error as Error).message);
        expect(message).toContain(source);
        expect(message).toContain('gdprDeskServiceOrganisationId');
        expect(message).toMatch(/lower-case UUID/);
        expect(message).not.toContain(value);
      }
    }
  });
});
