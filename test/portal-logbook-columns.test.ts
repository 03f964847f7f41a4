// The portal keeps its own copy of the logbook's column names (it cannot import the engine;
// packages/portal/src/screens/logbook-columns.ts): held here equal to the engine's
// `LOGBOOK_COLUMNS`, name for name and in order, so the auditor's screen names exactly the
// columns the server's `stored_form` reason can name (docs/portal.md "Screens", Logbook and keys).

import { LOGBOOK_COLUMNS } from '@sluis/engine';
import { describe, expect, it } from 'vitest';
import { LOGBOOK_COLUMNS as PORTAL_LOGBOOK_COLUMNS } from '@sluis/portal/logbook-columns';

describe('the portal’s copy of the logbook columns', () => {
  it('is the engine’s LOGBOOK_COLUMNS', () => {
    expect([...PORTAL_LOGBOOK_COLUMNS]).toEqual([...LOGBOOK_COLUMNS]);
  });
});
