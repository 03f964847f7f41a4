// What this program is and which database schema it migrates to (docs/operations.md
// "Upgrade"): printed by `sluis-server version`, logged in `server_started`, exported as
// `sluis_build_info`, so an operator sees before and after an upgrade whether it changes the
// schema (a changed schema version: every instance of the old version must stop first).

import { PG_SCHEMA_VERSION, SCHEMA_VERSION } from '@sluis/engine';

/** The schema version of each store this program migrates a database to on open. */
export const SCHEMA_VERSIONS = { sqlite: SCHEMA_VERSION, postgres: PG_SCHEMA_VERSION } as const;

/** `schema: sqlite <n>, postgresql <m>` — the second line of `sluis-server version`. */
export function schemaLine(): string {
  return `schema: sqlite ${SCHEMA_VERSIONS.sqlite}, postgresql ${SCHEMA_VERSIONS.postgres}`;
}
